"""PYNQ's ``pynq.lib.dma``: ``from pynq_remote.lib.dma import DMA``."""

from ..drivers.axi_dma import DMA, DmaError

__all__ = ["DMA", "DmaError"]
