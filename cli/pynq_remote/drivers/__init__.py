"""Drivers for IP cores, with PYNQ's shapes, over the network."""

from .axi_dma import DMA, AxiDMA, DmaError
from .axi_gpio import AxiGPIO
from .default_ip import DefaultIP, DriverConflict, driver_for, register_driver
from .register_map import Register, RegisterError, RegisterMap

__all__ = ["AxiDMA", "AxiGPIO", "DMA", "DefaultIP", "DmaError", "DriverConflict", "Register",
           "RegisterError", "RegisterMap", "driver_for", "register_driver"]
