"""``connect()``: the device object for a board's address, whichever protocol it speaks.

A pynq-remote server gets a ``Device`` (``pynq_remote.connection``); an
original PYNQ.cpp server, which lacks the v1 services, a ``LegacyDevice``
(``pynq_remote.legacy``). This module sits above both, so neither knows
the other.
"""

from .connection import addresses
from .connection.device import Device
from .legacy import probe

_default_device = None


def connect(address=None, lease=10.0, credentials=None):
    """Returns a ``Device`` for ``host[:port]`` (default port 7967).

    Without an address, the first entry of ``PYNQ_REMOTE_DEVICES`` is used.
    ``lease`` is how many seconds the board keeps this client's buffers after
    the client stops renewing its session (because it died, say).
    ``credentials`` default to the config file and environment
    (``pynq_remote.connection.credentials``).

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
