"""``DefaultIP``: an IP core's MMIO window and register map (PYNQ's shape),
and the registry that binds drivers to IP types.

A subclass that sets ``bindto`` (a list of VLNVs) is the driver of those IP
types from then on, as in PYNQ:

    class Resize(DefaultIP):
        bindto = ["xilinx.com:hls:resize_accel:1.0"]

        def __init__(self, description):
            super().__init__(description=description)

``driver_for(vlnv)`` finds it by the full VLNV; an IP of another version of
the same type gets ``DefaultIP`` and a warning, or the driver with
``ignore_version=True``. Two unrelated classes claiming one VLNV is an error
(``DriverConflict``); a subclass of the bound driver, or the same class
defined again (a notebook cell run twice), takes the VLNV over.
"""

import warnings

from ..board.interrupt import Interrupt
from ..board.mmio import MMIO
from ..errors import PynqRemoteUserError
from .register_map import RegisterMap

# VLNV, and VLNV without its version -> driver class.
_ip_drivers = {}


class DriverConflict(PynqRemoteUserError, TypeError):
    """Two unrelated driver classes claim one VLNV."""


def _same_class(old, new):
    return (old.__module__, old.__qualname__) == (new.__module__, new.__qualname__)


def register_driver(cls, vlnvs):
    """Binds ``cls`` to each VLNV of ``vlnvs`` (and to it without version)."""
    for vlnv in vlnvs:
        old = _ip_drivers.get(vlnv)
        if old is not None and not issubclass(cls, old) and not _same_class(old, cls):
            raise DriverConflict(
                f"{cls.__module__}.{cls.__qualname__} and {old.__module__}."
                f"{old.__qualname__} both bind to {vlnv}; subclass "
                f"{old.__qualname__} to replace it, or call "
                f"{old.__qualname__}.unregister() first")
    for vlnv in vlnvs:
        _ip_drivers[vlnv] = cls
        _ip_drivers[vlnv.rpartition(":")[0]] = cls


def driver_for(vlnv, ignore_version=False, where=""):
    """The driver class of IP type ``vlnv`` (PYNQ's rules; see the module docstring)."""
    if vlnv in _ip_drivers:
        return _ip_drivers[vlnv]
    without_version = vlnv.rpartition(":")[0] if vlnv else None
    driver = _ip_drivers.get(without_version)
    if driver is None:
        return DefaultIP
    if ignore_version:
        return driver
    versions = ", ".join(v for v in _ip_drivers if v.startswith(without_version + ":"))
    warnings.warn(f"IP {where} is of type {vlnv} and driver found for [{versions}]. "
                  "Use ignore_version=True to use this driver.", UserWarning, stacklevel=3)
    return DefaultIP


class DefaultIP:
    """An IP core described by a PYNQ-shaped ``ip_dict`` entry.

    ``description`` needs ``phys_addr`` and ``addr_range``; ``registers``
    (see ``RegisterMap``), ``parameters`` and ``interrupts`` are optional.
    ``device`` and ``design`` may also come in the description (``"device"``,
    ``"overlay"``), which is how an ``Overlay`` hands them to a driver whose
    ``__init__`` takes only ``description``, as PYNQ's drivers do. With a
    design, each interrupt pin it wires becomes an attribute named after the
    pin (``ip.ip2intc_irpt``), and ``ip.interrupt`` is the first; without
    one, ``interrupt`` is None.
    """

    registers = {}
    interrupt = None
    signature = None  # PYNQ's call signature of an HLS kernel from an xclbin; none here

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "bindto" in cls.__dict__:
            register_driver(cls, cls.bindto)

    @classmethod
    def unregister(cls):
        """Removes this class from the driver registry."""
        for key in [k for k, v in _ip_drivers.items() if v is cls]:
            del _ip_drivers[key]

    def __init__(self, description, device=None, design=None):
        self.description = description
        device = device if device is not None else description.get("device")
        design = design if design is not None else description.get("overlay")
        self.mmio = MMIO(description["phys_addr"], description["addr_range"], device=device)
        self.device = self.mmio.device
        self.parameters = description.get("parameters", {})
        self.register_map = RegisterMap(self.mmio,
                                        description.get("registers") or self.registers)
        self.interrupts = {}
        if design is not None:
            for pin, entry in description.get("interrupts", {}).items():
                interrupt = Interrupt(entry["fullpath"], device=self.device, design=design)
                self.interrupts[pin] = interrupt
                if not hasattr(self, pin):
                    setattr(self, pin, interrupt)
            self.interrupt = next(iter(self.interrupts.values()), None)

    def read(self, offset=0):
        return self.mmio.read(offset)

    def write(self, offset, value):
        self.mmio.write(offset, value)

    def __repr__(self):
        return f"{type(self).__name__}({self.description.get('fullpath', '?')!r} at " \
               f"0x{self.mmio.base_addr:x})"
