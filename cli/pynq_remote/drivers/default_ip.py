"""``DefaultIP``: an IP core's MMIO window and register map (PYNQ's shape)."""

from ..board.interrupt import Interrupt
from ..board.mmio import MMIO
from .register_map import RegisterMap


class DefaultIP:
    """An IP core described by a PYNQ-shaped ``ip_dict`` entry.

    ``description`` needs ``phys_addr`` and ``addr_range``; ``registers``
    (see ``RegisterMap``), ``parameters`` and ``interrupts`` are optional.
    With ``design`` (the ``Overlay``, or anything with PYNQ's interrupt
    dictionaries) each interrupt pin the design wires becomes an attribute
    named after the pin (``ip.ip2intc_irpt``), and ``ip.interrupt`` is the
    first; without one, ``interrupt`` is None.
    """

    registers = {}
    interrupt = None

    def __init__(self, description, device=None, design=None):
        self.description = description
        self.mmio = MMIO(description["phys_addr"], description["addr_range"], device=device)
        self.parameters = description.get("parameters", {})
        self.register_map = RegisterMap(self.mmio,
                                        description.get("registers") or self.registers)
        self.interrupts = {}
        if design is not None:
            for pin, entry in description.get("interrupts", {}).items():
                interrupt = Interrupt(entry["fullpath"], device=self.mmio.device, design=design)
                self.interrupts[pin] = interrupt
                if not hasattr(self, pin):
                    setattr(self, pin, interrupt)
            self.interrupt = next(iter(self.interrupts.values()), None)

    def read(self, offset=0):
        return self.mmio.read(offset)

    def write(self, offset, value):
        self.mmio.write(offset, value)
