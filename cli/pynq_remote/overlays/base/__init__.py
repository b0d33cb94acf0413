"""PYNQ's ``pynq.overlays.base``: ``from pynq_remote.overlays.base import BaseOverlay``."""

from .base import BaseOverlay

__all__ = ["BaseOverlay"]
