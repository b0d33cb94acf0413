"""A connection to one board: ``connect()`` returns a ``Device``."""

import logging
import threading
import time

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

from . import addresses, channel
from .credentials import credentials_for
from .errors import ConnectionFailed, from_rpc_error
from .extension import extension_stub
from .info import DeviceInfo
from .legacy import probe
from .session import Session
from .v1 import (bitstream_pb2_grpc, buffer_pb2_grpc, clock_pb2_grpc, device_pb2,
                 device_pb2_grpc, gpio_pb2_grpc, interrupt_pb2_grpc, mmio_pb2_grpc,
                 session_pb2_grpc)

log = logging.getLogger(__name__)

_default_device = None

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
        from .buffer import allocate  # buffer.py imports this module
        return allocate(shape, dtype, device=self, cacheable=cacheable,
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

    def close(self):
        """Closes the session (the board frees this client's buffers) and the channel."""
        from .interrupt import close_watcher  # interrupt.py imports this module
        close_watcher(self)
        if self._session is not None:
            self._session.close()
        self._channel.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __repr__(self):
        return f"Device({self.address!r})"


def connect(address=None, lease=10.0, credentials=None):
    """Returns a ``Device`` for ``host[:port]`` (default port 7967).

    Without an address, the first entry of ``PYNQ_REMOTE_DEVICES`` is used.
    ``lease`` is how many seconds the board keeps this client's buffers after
    the client stops renewing its session (because it died, say).
    ``credentials`` default to the config file and environment
    (``pynq_remote.credentials``).

    A server without the v1 DeviceService (an original PYNQ.cpp server)
    gets a ``pynq_remote.legacy.LegacyDevice`` instead, which logs one line
    naming what the PYNQ.remote protocol cannot do.
    """
    device = Device(address if address else addresses.default_address(), lease, credentials)
    legacy = probe(device.address, device._channel)
    return legacy if legacy is not None else device


def default_device():
    """The device of ``PYNQ_REMOTE_DEVICES``, connected once and shared."""
    global _default_device
    if _default_device is None:
        _default_device = connect()
    return _default_device
