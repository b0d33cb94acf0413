"""Extension services on a device: the user's own gRPC APIs (docs/extensions.md).

``Device.extension(StubClass)`` takes a stub class generated from the
extension's ``.proto`` (``pynq-remote ext build``) and returns an
``ExtensionStub`` on the device's channel, so the calls carry the same
credentials as every other call and fail with the same pynq_remote errors.
"""

import grpc

from ..errors import NotFound, from_rpc_error
from . import channel


class _PathRecorder:
    """A stand-in channel that records the method paths a stub asks for."""

    def __init__(self):
        self.paths = []

    def _record(self, path, *_args, **_kwargs):
        self.paths.append(path)

    unary_unary = unary_stream = stream_unary = stream_stream = _record


def service_name(stub_class):
    """The full gRPC service name a generated stub class calls, e.g. ``a.v1.Api``."""
    recorder = _PathRecorder()
    not_a_stub = TypeError(f"{getattr(stub_class, '__name__', stub_class)} is not a "
                           "generated gRPC stub class (e.g. leds_pb2_grpc.LedServiceStub)")
    try:
        stub_class(recorder)
    except Exception:
        raise not_a_stub from None
    names = {path.split("/")[1] for path in recorder.paths if path.count("/") == 2}
    if len(names) != 1:
        raise not_a_stub
    return names.pop()


class ExtensionStub:
    """A generated stub on a device's authenticated channel.

    Methods are called as on the generated stub, ``stub.Read(request)``,
    with an optional ``timeout`` in seconds (default 10 s for single calls,
    none for server streams). A server stream is an iterator of messages;
    leaving it early cancels the call. Errors are ``pynq_remote.errors``
    (``InvalidArgument``, ``PermissionDenied``, ...). Client streams are
    sent as the generated stub sends them; ``raw`` is that stub.
    """

    def __init__(self, device, stub_class):
        self.service = service_name(stub_class)
        self.raw = stub_class(device._channel)
        self._device = device

    def __getattr__(self, name):
        method = getattr(self.raw, name)
        if isinstance(method, grpc.UnaryStreamMultiCallable):
            return lambda request, timeout=None: self._stream(method, request, timeout)
        if isinstance(method, grpc.UnaryUnaryMultiCallable):
            return lambda request, timeout=channel.DEFAULT_TIMEOUT_S: self._device.call(
                method, request, timeout)
        return method

    def _stream(self, method, request, timeout):
        call = method(request, timeout=timeout)
        try:
            yield from call
        except grpc.RpcError as error:
            raise from_rpc_error(error, self._device.address) from None
        finally:
            call.cancel()

    def __repr__(self):
        return f"ExtensionStub({self.service!r} on {self._device.address})"


def extension_stub(device, stub_class, check=True):
    """An ``ExtensionStub`` of ``stub_class`` on ``device``.

    With ``check``, asks the device first (one GetInfo call) and raises
    ``NotFound`` naming what it has when it was not built with the service.
    """
    stub = ExtensionStub(device, stub_class)
    if check:
        installed = device.info().extensions
        if stub.service not in installed:
            have = ", ".join(installed) if installed else "none"
            raise NotFound(f"the device at {device.address} has no extension service "
                           f"{stub.service} (it has: {have}); build its server with "
                           "-DPYNQ_REMOTE_EXTENSIONS (docs/extensions.md)")
    return stub
