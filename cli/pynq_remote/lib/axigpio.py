"""PYNQ's ``pynq.lib.axigpio``: ``from pynq_remote.lib.axigpio import AxiGPIO``."""

from ..drivers.axi_gpio import AxiGPIO

__all__ = ["AxiGPIO"]
