"""Drivers for IP cores, with PYNQ's shapes, over the network."""

from .axi_dma import AxiDMA, DmaError
from .default_ip import DefaultIP
from .register_map import RegisterMap

__all__ = ["AxiDMA", "DefaultIP", "DmaError", "RegisterMap"]
