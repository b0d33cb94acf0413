"""pynq_remote: control AMD adaptive SoC boards from a host computer over gRPC."""

from .buffer import Buffer, allocate
from .clocks import Clocks
from .device import Device, connect
from .gpio import GPIO
from .interrupt import Interrupt
from .errors import (ConnectionFailed, DeviceError, InvalidArgument, OutOfRange,
                     PermissionDenied, PynqRemoteError, PynqRemoteUserError)
from .info import DeviceInfo
from .mmio import MMIO, Batch
from .overlay import Overlay

__version__ = "0.1.0"

__all__ = [
    "Batch", "Buffer", "Clocks", "ConnectionFailed", "Device", "DeviceError", "DeviceInfo",
    "GPIO", "Interrupt", "InvalidArgument", "MMIO", "OutOfRange", "Overlay", "PermissionDenied", "PynqRemoteError",
    "PynqRemoteUserError", "allocate", "connect",
]
