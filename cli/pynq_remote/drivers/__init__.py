"""Drivers for IP cores, with PYNQ's shapes, over the network."""

from .axi_dma import AxiDMA, DmaError
from .axi_gpio import AxiGPIO
from .default_ip import DefaultIP
from .register_map import RegisterMap

__all__ = ["AxiDMA", "AxiGPIO", "DefaultIP", "DmaError", "RegisterMap"]
