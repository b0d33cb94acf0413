"""The error of a failed build step, shared by the modules that build."""

from ..errors import PynqRemoteUserError


class BuildFailed(PynqRemoteUserError):
    """A build step failed; the message names its log."""
