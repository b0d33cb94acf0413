"""A connection to one board: ``connect()`` returns a ``Device``."""

import time

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

from . import addresses, channel
from .errors import from_rpc_error
from .info import DeviceInfo
from .v1 import device_pb2, device_pb2_grpc, mmio_pb2_grpc

_default_device = None


class Device:
    """Owns the channel and the service stubs of one board.

    Every call goes through ``call()``, which applies the deadline and turns
    gRPC errors into pynq_remote errors.
    """

    def __init__(self, address):
        self.address = addresses.parse_address(address)
        self._channel = channel.open_channel(self.address)
        self.health = health_pb2_grpc.HealthStub(self._channel)
        self.device = device_pb2_grpc.DeviceServiceStub(self._channel)
        self.mmio = mmio_pb2_grpc.MmioServiceStub(self._channel)

    def call(self, method, request, timeout=channel.DEFAULT_TIMEOUT_S):
        try:
            return method(request, timeout=timeout)
        except grpc.RpcError as error:
            raise from_rpc_error(error, self.address) from None

    def info(self):
        """Returns the board's ``DeviceInfo``."""
        return DeviceInfo.from_pb2(self.call(self.device.GetInfo,
                                             device_pb2.GetInfoRequest()))

    def ping(self):
        """Returns the round-trip time of one health check, in seconds."""
        start = time.perf_counter()
        self.call(self.health.Check, health_pb2.HealthCheckRequest())
        return time.perf_counter() - start

    def close(self):
        self._channel.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __repr__(self):
        return f"Device({self.address!r})"


def connect(address=None):
    """Returns a ``Device`` for ``host[:port]`` (default port 7967).

    Without an address, the first entry of ``PYNQ_REMOTE_DEVICES`` is used.
    """
    return Device(address if address else addresses.default_address())


def default_device():
    """The device of ``PYNQ_REMOTE_DEVICES``, connected once and shared."""
    global _default_device
    if _default_device is None:
        _default_device = connect()
    return _default_device
