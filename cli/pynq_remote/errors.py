"""Errors raised by pynq_remote, and their mapping from gRPC status codes.

Every error carries a one-line ``msg`` meant for the user. Errors caused by
what the user asked for derive from ``PynqRemoteUserError``; the CLI prints
them as one line and exits with their ``exit_code``.
"""

import grpc


class PynqRemoteError(Exception):
    """Base class of every pynq_remote error."""

    exit_code = 1

    def __init__(self, msg):
        super().__init__(msg)
        self.msg = msg


class PynqRemoteUserError(PynqRemoteError):
    """Bad input or configuration on the host side."""

    exit_code = 2


class ServerNotFound(PynqRemoteUserError):
    """The pynq-remote-server binary or its configuration is missing."""


class ConnectionFailed(PynqRemoteUserError):
    """The device could not be reached."""

    exit_code = 3


class DeviceError(PynqRemoteUserError):
    """The device refused a request; ``code`` is the gRPC status code."""

    exit_code = 4
    code = grpc.StatusCode.UNKNOWN

    def __init__(self, details, code=None):
        if code is not None:
            self.code = code
        super().__init__(f"{self.code.name}: {details}")
        self.details = details


class InvalidArgument(DeviceError, ValueError):
    code = grpc.StatusCode.INVALID_ARGUMENT


class OutOfRange(DeviceError, ValueError):
    code = grpc.StatusCode.OUT_OF_RANGE


class PermissionDenied(DeviceError):
    code = grpc.StatusCode.PERMISSION_DENIED


class NotFound(DeviceError):
    code = grpc.StatusCode.NOT_FOUND


class ResourceExhausted(DeviceError):
    code = grpc.StatusCode.RESOURCE_EXHAUSTED


class Unauthenticated(DeviceError):
    code = grpc.StatusCode.UNAUTHENTICATED


class FailedPrecondition(DeviceError):
    code = grpc.StatusCode.FAILED_PRECONDITION


class DeadlineExceeded(DeviceError):
    """A call, or a poll step of a batch, ran out of time."""

    code = grpc.StatusCode.DEADLINE_EXCEEDED


class Cancelled(DeviceError):
    code = grpc.StatusCode.CANCELLED


_ERRORS_BY_CODE = {
    cls.code: cls
    for cls in (InvalidArgument, OutOfRange, PermissionDenied, NotFound,
                ResourceExhausted, Unauthenticated, FailedPrecondition,
                DeadlineExceeded, Cancelled)
}


def from_rpc_error(error, target):
    """Turns a ``grpc.RpcError`` from a call to ``target`` into our error."""
    code = error.code()
    details = error.details() or code.name
    if code == grpc.StatusCode.UNAVAILABLE:
        return ConnectionFailed(f"cannot reach device at {target}: {details}")
    return _ERRORS_BY_CODE.get(code, DeviceError)(details, code)
