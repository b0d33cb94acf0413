"""pynq_remote: control AMD adaptive SoC boards from a host computer over gRPC.

The public face: PYNQ's names (``Overlay``, ``MMIO``, ``allocate``, ...)
and ``connect``. The package is in rooms by concern, each importing only
the rooms below it (docs/index.md, "Repository layout"):

- ``commands``: the CLI's commands, one module each (``cli`` is the entry point);
- ``integrations``: labgrid and the pytest plugin;
- ``tools``, ``imagebuild``, ``flash``, ``emulate``: host tools;
- ``security``: the host's PKI and pairing;
- ``overlays``, ``lib``: PYNQ's import paths (``overlays.base.BaseOverlay``,
  ``lib.AxiGPIO``, ``lib.dma.DMA``) over ``design`` and ``drivers``;
- ``design``: overlay files, deploying them, ``Overlay``, ``DefaultHierarchy``;
- ``drivers``: IP drivers (``DefaultIP``, ``AxiGPIO``, ``AxiDMA``);
- ``board``: the board's resources (MMIO, buffers, GPIO, interrupts, clocks);
- ``devices``: ``connect()``, which picks ``connection`` or ``legacy``;
- ``legacy``: a server that speaks only the PYNQ.remote protocol;
- ``connection``: addresses, credentials, the channel, ``Device``, sessions;
- ``errors``: the error types every room raises.
"""

# First: gRPC's process-wide settings must be made before grpc is imported.
from .connection import grpc_setup  # noqa: F401
from .board.buffer import Buffer, allocate
from .board.clocks import Clocks
from .board.gpio import GPIO
from .board.interrupt import Interrupt
from .board.mmio import MMIO, Batch
from .connection.device import Device
from .connection.info import DeviceInfo
from .design.hierarchy import DefaultHierarchy
from .design.overlay import Overlay
from .devices import connect
from .drivers import DefaultIP, Register, RegisterMap
from .errors import (ConnectionFailed, DeviceError, InvalidArgument, OutOfRange,
                     PermissionDenied, PynqRemoteError, PynqRemoteUserError)

__version__ = "0.1.0"

__all__ = [
    "Batch", "Buffer", "Clocks", "ConnectionFailed", "DefaultHierarchy", "DefaultIP", "Device",
    "DeviceError", "DeviceInfo", "GPIO", "Interrupt", "InvalidArgument", "MMIO", "OutOfRange", "Overlay",
    "PermissionDenied", "PynqRemoteError", "PynqRemoteUserError", "Register", "RegisterMap",
    "allocate", "connect",
]
