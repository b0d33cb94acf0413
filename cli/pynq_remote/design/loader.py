"""``load_design(path)``: a bitstream and its hardware description from overlay files.

=============  =========================================================
path           gives
=============  =========================================================
``x.bit``      the bitstream, and ``x.hwh`` beside it if there is one
``x.bin``      the same (the ``.bin`` may be byte-swapped or not)
``x.xsa``      the ``.bit`` and the top block design's ``.hwh`` inside
``x.hwh``      the hardware description only
=============  =========================================================

Beside a ``design_wrapper.bit`` the ``.hwh`` may also be ``design.hwh``: that
is how Vivado names them. ``hwh=`` overrides the search.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from .bitfile import Bitstream, BitstreamError, hwh_names_for, read_bitstream, read_xsa
from .hwh import HardwareDescription, HwhError, parse_hwh, read_hwh

SUFFIXES = (".bit", ".bin", ".xsa", ".hwh")


@dataclass(frozen=True)
class Design:
    """What a set of overlay files describes; either part may be missing."""

    source: Path
    bitstream: Optional[Bitstream]
    hardware: Optional[HardwareDescription]

    @property
    def name(self):
        """The block design's name, else the bitstream's design name."""
        if self.hardware is not None:
            return self.hardware.design_name
        return self.bitstream.design_name if self.bitstream else None

    def ip(self, name):
        """The ``ip_dict`` entry of IP ``name``."""
        if self.hardware is None:
            raise HwhError(f"{self.source}: no hardware description (.hwh) found; "
                           f"cannot look up IP {name!r}")
        return self.hardware.ip(name)

    def as_dict(self):
        return {"source": str(self.source), "name": self.name,
                "bitstream": self.bitstream.as_dict() if self.bitstream else None,
                "hardware": self.hardware.as_dict() if self.hardware else None}


def load_design(path, hwh=None):
    """Reads ``path`` (``.bit``, ``.bin``, ``.xsa`` or ``.hwh``) and its ``.hwh``."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise BitstreamError(f"{path}: unknown overlay file type "
                             f"(expected {', '.join(SUFFIXES)})")
    if suffix == ".hwh":
        return Design(path, None, read_hwh(path))
    if suffix == ".xsa":
        return _load_xsa(path, hwh)
    bitstream = read_bitstream(path)
    hwh_path = Path(hwh) if hwh is not None else find_hwh(path)
    return Design(path, bitstream, read_hwh(hwh_path) if hwh_path else None)


def _load_xsa(path, hwh):
    contents = read_xsa(path)
    if hwh is not None:
        hardware = read_hwh(hwh)
    elif contents.hwh_data is not None:
        hardware = parse_hwh(contents.hwh_data, f"{path}:{contents.hwh_name}")
    else:
        hardware = None
    return Design(path, contents.bitstream, hardware)


def find_hwh(bitstream_path):
    """The ``.hwh`` beside a bitstream file, or ``None``."""
    bitstream_path = Path(bitstream_path)
    for name in hwh_names_for(bitstream_path.name):
        candidate = bitstream_path.with_name(name)
        if candidate.is_file():
            return candidate
    return None
