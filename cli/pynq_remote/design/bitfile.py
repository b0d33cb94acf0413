"""Xilinx bitstreams on the host: ``.bit``, raw ``.bin`` and the ``.bit`` in an ``.xsa``.

A ``.bit`` file is a small header of tagged fields followed by the
configuration payload::

    00 09 <9 bytes> 00 01          fixed preamble
    'a' u16 len  "name;UserID=...;Version=..."
    'b' u16 len  part, e.g. "xczu3eg-sbva484-1-i"
    'c' u16 len  date, 'd' u16 len  time
    'e' u32 len  payload

The Linux FPGA manager wants the payload with every 32-bit word byte-swapped
(what PYNQ writes as ``.bin``). Vivado's ``-bin_file`` output is the payload
unswapped. ``Bitstream.payload`` always holds the ``.bit`` order;
``Bitstream.fpga_manager_bin()`` gives the swapped bytes to upload.
"""

from __future__ import annotations

import hashlib
import struct
import xml.etree.ElementTree as ElementTree
import zipfile
import zlib
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import Optional

import numpy as np

from ..errors import PynqRemoteUserError

HEADER_START = b"\x00\x09"
PREAMBLE_LENGTH = 13          # u16 9, nine bytes, u16 1
TEXT_FIELDS = {b"a": "design", b"b": "part", b"c": "date", b"d": "time"}
PAYLOAD_FIELD = b"e"
SYNC_WORD = b"\xAA\x99\x55\x66"
SWAPPED_SYNC_WORD = SYNC_WORD[::-1]
SYNC_SEARCH_BYTES = 4096      # Vivado puts the sync word about 80 bytes in


class BitstreamError(PynqRemoteUserError):
    """A bitstream file is missing, malformed or truncated."""


@dataclass(frozen=True)
class Bitstream:
    """One configuration bitstream and what its header says about it.

    ``format`` is ``"bit"``, ``"bin"`` or ``"xsa"`` (then ``member`` names
    the ``.bit`` inside). Header fields are ``None`` for a raw ``.bin``.
    ``swapped`` is true when the source file already held the FPGA-manager
    (byte-swapped) order.
    """

    source: Path
    format: str
    payload: bytes
    payload_offset: int = 0
    design: Optional[str] = None
    part: Optional[str] = None
    date: Optional[str] = None
    time: Optional[str] = None
    swapped: bool = False
    member: Optional[str] = None

    @property
    def design_name(self):
        """The design name: the header's design field up to the first ``;``."""
        return self.design.split(";")[0] if self.design is not None else None

    @property
    def design_attributes(self):
        """The ``KEY=VALUE`` parts of the design field, e.g. ``{"Version": "2024.1"}``."""
        if self.design is None:
            return {}
        pairs = (part.partition("=") for part in self.design.split(";")[1:])
        return {key: value for key, _, value in pairs if key}

    def fpga_manager_bin(self):
        """The bytes the Linux FPGA manager loads: the payload, each word byte-swapped."""
        return self._fpga_manager_bin

    @cached_property
    def _fpga_manager_bin(self):
        return swap_words(self.payload)

    @cached_property
    def sha256(self):
        """Hex sha256 of ``fpga_manager_bin()``: the content address used on upload."""
        return hashlib.sha256(self.fpga_manager_bin()).hexdigest()

    def as_dict(self):
        """Everything but the payload bytes, for JSON."""
        return {"source": str(self.source), "format": self.format, "member": self.member,
                "design": self.design, "design_name": self.design_name, "part": self.part,
                "date": self.date, "time": self.time, "payload_bytes": len(self.payload),
                "payload_offset": self.payload_offset, "swapped": self.swapped,
                "sha256": self.sha256}


def swap_words(data):
    """``data`` with the bytes of every 32-bit word reversed."""
    return np.frombuffer(data, dtype=np.uint32).byteswap().tobytes()


def read_bitstream(path):
    """Reads a ``.bit``, ``.bin`` or ``.xsa`` file into a ``Bitstream``."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".bit":
        return parse_bit(_read(path), path)
    if suffix == ".bin":
        return parse_bin(_read(path), path)
    if suffix == ".xsa":
        return read_xsa(path).bitstream
    raise BitstreamError(f"{path}: not a bitstream file (expected .bit, .bin or .xsa)")


def _read(path):
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise BitstreamError(f"{path}: no such file") from None
    except OSError as error:
        raise BitstreamError(f"{path}: cannot read: {error.strerror}") from None


def parse_bit(data, source, label=None):
    """Parses the bytes of a ``.bit`` file; ``label`` names it in errors."""
    label = label or str(source)
    if data[:2] != HEADER_START:
        raise BitstreamError(f"{label}: not a bitstream: no 0x00 0x09 header")
    fields, payload_offset, payload_length = _read_header(data, label)
    available = len(data) - payload_offset
    if available < payload_length:
        raise BitstreamError(f"{label}: truncated: header says {payload_length} payload "
                             f"bytes, file has {available}")
    _check_words(payload_length, label)
    payload = data[payload_offset:payload_offset + payload_length]
    return Bitstream(source=Path(source), format="bit", payload=payload,
                     payload_offset=payload_offset, **fields)


def _read_header(data, label):
    """The text fields, payload offset and payload length of a ``.bit`` header."""
    fields = {}
    position = PREAMBLE_LENGTH
    while True:
        key = data[position:position + 1]
        if not key:
            raise BitstreamError(f"{label}: truncated: file ends inside the header "
                                 f"at byte {position}")
        if key == PAYLOAD_FIELD:
            (length,) = _unpack(">I", data, position + 1, label, key)
            return fields, position + 5, length
        if key not in TEXT_FIELDS:
            raise BitstreamError(f"{label}: not a bitstream: unknown header field "
                                 f"0x{key[0]:02x} at byte {position}")
        (length,) = _unpack(">H", data, position + 1, label, key)
        start = position + 3
        if len(data) < start + length:
            raise BitstreamError(f"{label}: truncated: file ends inside header field "
                                 f"'{key.decode()}' at byte {position}")
        text = data[start:start + length].rstrip(b"\0")
        fields[TEXT_FIELDS[key]] = text.decode("ascii", errors="replace")
        position = start + length


def _unpack(layout, data, offset, label, key):
    size = struct.calcsize(layout)
    if len(data) < offset + size:
        raise BitstreamError(f"{label}: truncated: file ends inside header field "
                             f"'{key.decode()}' at byte {offset - 1}")
    return struct.unpack_from(layout, data, offset)


def _check_words(length, label):
    if length == 0:
        raise BitstreamError(f"{label}: empty bitstream: no payload bytes")
    if length % 4:
        raise BitstreamError(f"{label}: payload of {length} bytes is not a whole "
                             f"number of 32-bit words")


def parse_bin(data, source, label=None):
    """Parses a raw ``.bin``, swapped (FPGA manager order) or not (Vivado's ``-bin_file``)."""
    label = label or str(source)
    swapped = is_swapped_bin(data, label)
    _check_words(len(data), label)
    payload = swap_words(data) if swapped else bytes(data)
    return Bitstream(source=Path(source), format="bin", payload=payload, swapped=swapped)


def is_swapped_bin(data, label="bitstream"):
    """Whether a raw ``.bin`` is byte-swapped, told by its sync word 0xAA995566."""
    head = data[:SYNC_SEARCH_BYTES]
    for offset in range(0, len(head) - 3, 4):
        word = head[offset:offset + 4]
        if word == SYNC_WORD:
            return False
        if word == SWAPPED_SYNC_WORD:
            return True
    raise BitstreamError(f"{label}: not a bitstream: no sync word 0xAA995566 in the "
                         f"first {SYNC_SEARCH_BYTES} bytes")


@dataclass(frozen=True)
class XsaContents:
    """The bitstream of an ``.xsa`` and its top-level ``.hwh`` (if any), unparsed."""

    bitstream: Bitstream
    hwh_name: Optional[str]
    hwh_data: Optional[bytes]


def read_xsa(path):
    """Reads the top-level ``.bit`` and ``.hwh`` of a Vivado ``.xsa`` (a zip) in memory."""
    path = Path(path)
    if not path.exists():
        raise BitstreamError(f"{path}: no such file")
    try:
        with zipfile.ZipFile(path) as archive:
            return _read_xsa_members(archive, path)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as error:
        raise BitstreamError(f"{path}: not a valid .xsa (zip archive): {error}") from None
    except OSError as error:
        raise BitstreamError(f"{path}: cannot read: {error.strerror or error}") from None


def _read_xsa_members(archive, path):
    names = [name for name in archive.namelist() if "/" not in name]
    sysdef = _sysdef_files(archive)
    bit_name = _choose_bit(names, sysdef, path)
    bitstream = parse_bit(archive.read(bit_name), path, label=f"{path}:{bit_name}")
    bitstream = replace(bitstream, format="xsa", member=bit_name)
    hwh_name = _choose_hwh(names, sysdef, bit_name)
    hwh_data = archive.read(hwh_name) if hwh_name else None
    return XsaContents(bitstream, hwh_name, hwh_data)


def _sysdef_files(archive):
    """``{type: [names]}`` from the ``sysdef.xml`` Vivado writes into every ``.xsa``.

    The top block design's handoff is listed as type ``HW_HANDOFF/DEFAULT_BD``.
    A missing or unreadable ``sysdef.xml`` gives ``{}``: names decide then.
    """
    try:
        root = ElementTree.fromstring(archive.read("sysdef.xml"))
    except (KeyError, ElementTree.ParseError):
        return {}
    files = {}
    for entry in root.iter("File"):
        kind = entry.get("Type", "")
        if entry.get("BD_TYPE"):
            kind += "/" + entry.get("BD_TYPE")
        files.setdefault(kind, []).append(entry.get("Name"))
    return files


def _choose_bit(names, sysdef, path):
    bits = [name for name in names if name.lower().endswith(".bit")]
    listed = [name for name in sysdef.get("BIT", []) if name in bits]
    if len(listed) == 1:
        return listed[0]
    if not bits:
        raise BitstreamError(f"{path}: no .bit inside")
    if len(bits) > 1:
        raise BitstreamError(f"{path}: several .bit files inside ({', '.join(sorted(bits))}) "
                             f"and sysdef.xml names none of them")
    return bits[0]


def _choose_hwh(names, sysdef, bit_name):
    hwhs = [name for name in names if name.lower().endswith(".hwh")]
    listed = [name for name in sysdef.get("HW_HANDOFF/DEFAULT_BD", []) if name in hwhs]
    if len(listed) == 1:
        return listed[0]
    for candidate in hwh_names_for(bit_name):
        if candidate in hwhs:
            return candidate
    return hwhs[0] if len(hwhs) == 1 else None


def hwh_names_for(bit_name):
    """The ``.hwh`` names that belong to a bitstream, best first.

    PYNQ's rule is the same stem; Vivado names the bitstream after the
    HDL wrapper (``design_wrapper.bit``) and the handoff after the block
    design (``design.hwh``), so that name is tried too.
    """
    stem = Path(bit_name).stem
    names = [stem + ".hwh"]
    if stem.endswith("_wrapper"):
        names.append(stem[:-len("_wrapper")] + ".hwh")
    return names
