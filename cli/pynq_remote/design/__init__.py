"""Designs: overlay files parsed on the host (``bitfile``, ``hwh``,
``loader``), put on a board (``deploy``) and driven with PYNQ's shape
(``overlay``)."""

from .loader import Design, find_hwh, load_design

__all__ = ["Design", "find_hwh", "load_design"]
