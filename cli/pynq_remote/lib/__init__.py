"""PYNQ's ``pynq.lib`` path: ``from pynq_remote.lib import AxiGPIO`` as
``from pynq.lib import AxiGPIO``. The drivers themselves live in
``pynq_remote.drivers``; this package only gives them PYNQ's import paths."""

from ..drivers import AxiGPIO
from . import dma
from .dma import DMA
from .rgbled import RGBLED

__all__ = ["AxiGPIO", "DMA", "RGBLED", "dma"]
