"""A connection to one board over the pynq_remote.v1 protocol: ``Device``.

``pynq_remote.connect()`` (in ``pynq_remote.devices``) returns one, or a
``LegacyDevice`` for a server that speaks only the PYNQ.remote protocol.
This room knows nothing of what is built on it: buffers register their
allocator with ``register_allocator``, and whatever must end with the
device (an interrupt stream, say) registers a callback with ``on_close``.
"""

import logging
import threading
import time

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

from ..errors import ConnectionFailed, from_rpc_error
from ..v1 import (bitstream_pb2_grpc, buffer_pb2_grpc, clock_pb2_grpc, device_pb2,
                  device_pb2_grpc, gpio_pb2_grpc, interrupt_pb2_grpc, mmio_pb2_grpc,
                  session_pb2_grpc)
from . import addresses, channel
from .credentials import credentials_for
from .extension import extension_stub
from .info import DeviceInfo
from .session import Session

log = logging.getLogger(__name__)

# pynq_remote.board.buffer.allocate, registered by that module: buffers sit
# above the connection, and dev.allocate(...) only hands the call on.
_allocate = None

# How long a call without a timeout that lost its connection waits for the
# device to come back (a server restart); others wait up to their timeout.
RECONNECT_WAIT_S = 10.0


class Device:
    """Owns the channel and the service stubs of one board.

    Every call goes through ``call()``, which applies the deadline and turns
    gRPC errors into pynq_remote errors. When a device this client has
    reached before becomes unreachable (its server restarted, say), calls
    that are safe to repeat wait for it to come back and are sent again, and
    the reconnection is logged; other calls fail with ``ConnectionFailed``.
    """

    def __init__(self, address, lease=10.0, credentials=None):
        target = addresses.resolve_target(address)
        self.address = target.address
        self.lease = lease
        if credentials is None:
            credentials = credentials_for(target.address, target.name, target.tls)
        self._channel = channel.open_channel(self.address, credentials)
        self.health = health_pb2_grpc.HealthStub(self._channel)
        self.device = device_pb2_grpc.DeviceServiceStub(self._channel)
        self.mmio = mmio_pb2_grpc.MmioServiceStub(self._channel)
        self.sessions = session_pb2_grpc.SessionServiceStub(self._channel)
        self.buffers = buffer_pb2_grpc.BufferServiceStub(self._channel)
        self.bitstreams = bitstream_pb2_grpc.BitstreamServiceStub(self._channel)
        self.clocks = clock_pb2_grpc.ClockServiceStub(self._channel)
        self.gpio = gpio_pb2_grpc.GpioServiceStub(self._channel)
        self.interrupts = interrupt_pb2_grpc.InterruptServiceStub(self._channel)
        self._session = None
        self._session_lock = threading.Lock()
        # Calls that change nothing, or nothing more when repeated.
        self._idempotent = {
            self.health.Check, self.device.GetInfo, self.device.SourceBytes,
            self.mmio.Read, self.mmio.ReadBlock, self.sessions.RenewSession,
            self.buffers.ReadBuffer, self.buffers.SyncBuffer, self.buffers.ListBuffers,
            self.bitstreams.HasBitstream, self.bitstreams.GetFpgaState,
            self.clocks.GetClocks}
        self._reached = False  # whether a call has ever reached the device
        self._close_callbacks = []
        self._methods = {}

    def method(self, kind, path, request_serializer, response_deserializer,
               idempotent=False):
        """The multi-callable of RPC ``path`` (``/package.Service/Method``) of
        ``kind`` (``"unary_stream"``, ...) with the caller's own serializers,
        for ``call()`` and ``stream()``: bulk data moves without a protobuf
        copy. ``idempotent``: sent again after a lost connection."""
        key = (kind, path, request_serializer, response_deserializer)
        if key not in self._methods:
            self._methods[key] = getattr(self._channel, kind)(
                path, request_serializer=request_serializer,
                response_deserializer=response_deserializer)
            if idempotent:
                self._idempotent.add(self._methods[key])
        return self._methods[key]

    def call(self, method, request, timeout=channel.DEFAULT_TIMEOUT_S):
        try:
            response = method(request, timeout=timeout)
        except grpc.RpcError as error:
            if not self._may_reconnect(method, error):
                raise from_rpc_error(error, self.address) from None
            wait = self._lost_connection(timeout)
            try:
                response = method(request, timeout=wait, wait_for_ready=True)
            except grpc.RpcError as retry_error:
                raise self._not_reconnected(retry_error, wait) from None
            log.warning("reconnected to %s", self.address)
        self._reached = True
        return response

    def stream(self, method, request, timeout=channel.DEFAULT_TIMEOUT_S):
        """Yields the messages of a server stream."""
        received = False
        try:
            for message in method(request, timeout=timeout):
                received = self._reached = True
                yield message
        except grpc.RpcError as error:
            if received or not self._may_reconnect(method, error):
                raise from_rpc_error(error, self.address) from None
            wait = self._lost_connection(timeout)
            try:
                for message in method(request, timeout=wait, wait_for_ready=True):
                    if not received:
                        received = True
                        log.warning("reconnected to %s", self.address)
                    yield message
            except grpc.RpcError as retry_error:
                raise self._not_reconnected(retry_error, wait) from None
        self._reached = True

    def _may_reconnect(self, method, error):
        """Whether a failed call is sent again once the device is back."""
        return (error.code() == grpc.StatusCode.UNAVAILABLE and self._reached
                and method in self._idempotent)

    def _lost_connection(self, timeout):
        """Logs the loss; returns how long the repeated call may wait."""
        wait = RECONNECT_WAIT_S if timeout is None else timeout
        log.warning("lost the connection to %s; waiting up to %g s for it to come back",
                    self.address, wait)
        return wait

    def _not_reconnected(self, error, wait):
        if error.code() in (grpc.StatusCode.DEADLINE_EXCEEDED, grpc.StatusCode.UNAVAILABLE):
            return ConnectionFailed(f"lost the connection to {self.address} and could "
                                    f"not reconnect within {wait:g} s")
        return from_rpc_error(error, self.address)

    @property
    def session(self):
        """This client's session, opened on first use and renewed in the background."""
        with self._session_lock:
            if self._session is None or self._session.closed:
                self._session = Session(self, self.lease)
            return self._session

    def allocate(self, shape, dtype="u4", cacheable=False, alignment=0):
        """Reserves a DMA buffer on this board; see ``pynq_remote.allocate``."""
        return _allocate(shape, dtype, device=self, cacheable=cacheable,
                         alignment=alignment)

    def info(self):
        """Returns the board's ``DeviceInfo``."""
        return DeviceInfo.from_pb2(self.call(self.device.GetInfo,
                                             device_pb2.GetInfoRequest()))

    def extension(self, stub_class, check=True):
        """A stub of an extension service (docs/extensions.md) on this device.

        ``stub_class`` is generated from the extension's ``.proto``
        (``pynq-remote ext build``), e.g. ``SysmonServiceStub``; calls carry
        this device's credentials and raise pynq_remote errors. With
        ``check``, raises ``NotFound`` when the server lacks the service.
        """
        return extension_stub(self, stub_class, check)

    def ping(self):
        """Returns the round-trip time of one health check, in seconds."""
        start = time.perf_counter()
        self.call(self.health.Check, health_pb2.HealthCheckRequest())
        return time.perf_counter() - start

    def on_close(self, callback):
        """Has ``close()`` call ``callback()`` first (before the session ends)."""
        self._close_callbacks.append(callback)

    def close(self):
        """Closes the session (the board frees this client's buffers) and the channel."""
        callbacks, self._close_callbacks = self._close_callbacks, []
        for callback in callbacks:
            callback()
        if self._session is not None:
            self._session.close()
        self._channel.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __repr__(self):
        return f"Device({self.address!r})"



def register_allocator(allocate):
    """Makes ``allocate`` the function behind ``Device.allocate``; called by
    ``pynq_remote.board.buffer``."""
    global _allocate
    _allocate = allocate
