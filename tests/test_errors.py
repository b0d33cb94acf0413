import grpc
import pytest

from pynq_remote import errors


class FakeRpcError(grpc.RpcError):
    def __init__(self, code, details):
        self._code, self._details = code, details

    def code(self):
        return self._code

    def details(self):
        return self._details


@pytest.mark.parametrize("code, cls", [
    (grpc.StatusCode.INVALID_ARGUMENT, errors.InvalidArgument),
    (grpc.StatusCode.OUT_OF_RANGE, errors.OutOfRange),
    (grpc.StatusCode.PERMISSION_DENIED, errors.PermissionDenied),
    (grpc.StatusCode.NOT_FOUND, errors.NotFound),
    (grpc.StatusCode.RESOURCE_EXHAUSTED, errors.ResourceExhausted),
    (grpc.StatusCode.UNAUTHENTICATED, errors.Unauthenticated),
    (grpc.StatusCode.FAILED_PRECONDITION, errors.FailedPrecondition),
    (grpc.StatusCode.DEADLINE_EXCEEDED, errors.DeadlineExceeded),
])
def test_status_codes_map_to_named_errors(code, cls):
    error = errors.from_rpc_error(FakeRpcError(code, "what went wrong"), "board:7967")
    assert type(error) is cls
    assert error.msg == f"{code.name}: what went wrong"
    assert error.exit_code == 4


def test_unavailable_is_a_connection_failure_naming_the_device():
    error = errors.from_rpc_error(
        FakeRpcError(grpc.StatusCode.UNAVAILABLE, "connection refused"), "board:7967")
    assert type(error) is errors.ConnectionFailed
    assert error.msg == "cannot reach device at board:7967: connection refused"
    assert error.exit_code == 3


def test_other_codes_keep_their_name():
    error = errors.from_rpc_error(FakeRpcError(grpc.StatusCode.INTERNAL, "boom"), "b:1")
    assert type(error) is errors.DeviceError
    assert error.code == grpc.StatusCode.INTERNAL
    assert error.msg == "INTERNAL: boom"
