"""``DefaultIP``: an IP core's MMIO window and register map (PYNQ's shape)."""

from ..mmio import MMIO
from .register_map import RegisterMap


class DefaultIP:
    """An IP core described by a PYNQ-shaped ``ip_dict`` entry.

    ``description`` needs ``phys_addr`` and ``addr_range``; ``registers``
    (see ``RegisterMap``) and ``parameters`` are optional.
    """

    registers = {}

    def __init__(self, description, device=None):
        self.description = description
        self.mmio = MMIO(description["phys_addr"], description["addr_range"], device=device)
        self.parameters = description.get("parameters", {})
        self.register_map = RegisterMap(self.mmio,
                                        description.get("registers") or self.registers)

    def read(self, offset=0):
        return self.mmio.read(offset)

    def write(self, offset, value):
        self.mmio.write(offset, value)
