"""PYNQ's ``pynq.overlays`` path: board overlays (``base.BaseOverlay``)."""
