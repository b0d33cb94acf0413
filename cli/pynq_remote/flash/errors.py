"""Why a flash was refused or failed; each a one-line user error (exit code 2)."""

from ..errors import PynqRemoteUserError


class FlashError(PynqRemoteUserError):
    """Base of every error of ``pynq-remote flash``."""


class ImageError(FlashError):
    """The image is missing, of an unknown format, corrupt or truncated."""


class BmapError(FlashError):
    """The bmap file is unreadable, inconsistent or belongs to another image."""


class ChecksumMismatch(FlashError):
    """A block range of the image does not match the checksum in its bmap."""


class TargetRefused(FlashError):
    """The target is unsafe to write: not removable, mounted, busy, too small, ..."""


class TargetUnavailable(FlashError):
    """The target does not exist or cannot be opened (permissions)."""


class VerifyFailed(FlashError):
    """What was read back from the target differs from what was written."""


class FlashCancelled(FlashError):
    """The user did not confirm; nothing was written."""
