"""Block maps in bmaptool's XML format: which blocks of an image hold data.

A ``.bmap`` lists the mapped block ranges of a sparse image, each with the
checksum of its bytes. Writing only those ranges skips the (often large)
unused space of a disk image; the checksums catch a corrupt image while it is
written. Formats 1.0 to 2.0 are read: 1.3 has SHA-1 checksums in ``sha1``
attributes, 1.4 and 2.0 name the hash in ``ChecksumType`` and put it in
``chksum`` attributes. The file's own checksum (``BmapFileChecksum``, taken
with that value replaced by ASCII zeros) is checked too.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from xml.etree import ElementTree

from .errors import BmapError

SUPPORTED_MAJOR_VERSION = 2


@dataclasses.dataclass(frozen=True)
class BlockRange:
    """Blocks ``first`` to ``last`` (inclusive) and the hex checksum of their bytes."""

    first: int
    last: int
    checksum: str | None = None

    @property
    def blocks(self):
        return self.last - self.first + 1

    def describe(self):
        return f"blocks {self.first}-{self.last}" if self.blocks > 1 else f"block {self.first}"


@dataclasses.dataclass(frozen=True)
class Bmap:
    path: str
    version: str
    image_size: int
    block_size: int
    blocks_count: int
    mapped_blocks_count: int
    checksum_type: str | None
    ranges: tuple

    def byte_span(self, block_range):
        """(offset, length) of a range's bytes; the image's last block may be short."""
        offset = block_range.first * self.block_size
        end = min((block_range.last + 1) * self.block_size, self.image_size)
        return offset, end - offset

    @property
    def mapped_bytes(self):
        return sum(self.byte_span(r)[1] for r in self.ranges)


def find_bmap(image_path):
    """The bmap beside ``image_path`` by bmaptool's rule, or None.

    ``IMAGE.bmap`` first, then with one extension after the other removed:
    for ``core.wic.gz`` that is ``core.wic.gz.bmap``, ``core.wic.bmap``,
    ``core.bmap``.
    """
    stem = os.fspath(image_path)
    while True:
        candidate = stem + ".bmap"
        if os.path.isfile(candidate):
            return candidate
        stem, extension = os.path.splitext(stem)
        if not extension:
            return None


def parse_bmap(path):
    """Reads and checks the bmap file at ``path``; raises ``BmapError``."""
    try:
        with open(path, "rb") as file:
            raw = file.read()
    except OSError as error:
        raise BmapError(f"cannot read bmap {path}: {error.strerror}") from None
    try:
        root = ElementTree.fromstring(raw)
    except ElementTree.ParseError as error:
        raise BmapError(f"{path} is not a bmap file: {error}") from None
    if root.tag != "bmap":
        raise BmapError(f"{path} is not a bmap file: root element <{root.tag}>")
    version = root.get("version", "")
    try:
        major, minor = (int(part) for part in version.split(".", 1))
    except ValueError:
        raise BmapError(f"{path}: bad bmap version {version!r}") from None
    if major > SUPPORTED_MAJOR_VERSION:
        raise BmapError(f"{path}: bmap format {version} is newer than the supported "
                        f"{SUPPORTED_MAJOR_VERSION}.x")

    if major > 1 or minor >= 4:
        checksum_type = _text(root, "ChecksumType", path)
        attribute, file_tag = "chksum", "BmapFileChecksum"
    elif minor == 3:
        checksum_type, attribute, file_tag = "sha1", "sha1", "BmapFileSHA1"
    else:
        checksum_type = attribute = file_tag = None
    if checksum_type is not None:
        if checksum_type not in hashlib.algorithms_available:
            raise BmapError(f"{path}: unknown checksum type {checksum_type!r}")
        _check_file_checksum(raw, _text(root, file_tag, path), checksum_type, path)

    bmap = Bmap(
        path=os.fspath(path), version=version,
        image_size=_number(root, "ImageSize", path),
        block_size=_number(root, "BlockSize", path),
        blocks_count=_number(root, "BlocksCount", path),
        mapped_blocks_count=_number(root, "MappedBlocksCount", path),
        checksum_type=checksum_type,
        ranges=tuple(_ranges(root, attribute, path)))
    _check_consistent(bmap)
    return bmap


def _text(root, tag, path):
    element = root.find(tag)
    if element is None or element.text is None or not element.text.strip():
        raise BmapError(f"{path}: <{tag}> is missing")
    return element.text.strip()


def _number(root, tag, path):
    text = _text(root, tag, path)
    try:
        return int(text)
    except ValueError:
        raise BmapError(f"{path}: <{tag}> is not a number: {text!r}") from None


def _ranges(root, attribute, path):
    block_map = root.find("BlockMap")
    if block_map is None:
        raise BmapError(f"{path}: <BlockMap> is missing")
    for element in block_map.findall("Range"):
        text = (element.text or "").strip()
        first, _, last = text.partition("-")
        try:
            first = int(first)
            last = int(last) if last else first
        except ValueError:
            raise BmapError(f"{path}: bad block range {text!r}") from None
        if first < 0 or last < first:
            raise BmapError(f"{path}: bad block range {text!r}")
        checksum = element.get(attribute) if attribute else None
        yield BlockRange(first, last, checksum.strip().lower() if checksum else None)


def _check_file_checksum(raw, expected, checksum_type, path):
    position = raw.find(expected.encode())
    if position < 0:
        raise BmapError(f"{path}: its own checksum is not in the file")
    zeroed = raw[:position] + b"0" * len(expected) + raw[position + len(expected):]
    actual = hashlib.new(checksum_type, zeroed).hexdigest()
    if actual != expected.lower():
        raise BmapError(f"{path} is corrupt: its {checksum_type} is {actual}, "
                        f"the file says {expected}")


def _check_consistent(bmap):
    where = bmap.path
    if bmap.block_size <= 0 or bmap.image_size < 0:
        raise BmapError(f"{where}: bad block size {bmap.block_size} or image size "
                        f"{bmap.image_size}")
    if bmap.blocks_count != -(-bmap.image_size // bmap.block_size):
        raise BmapError(f"{where} is inconsistent: {bmap.blocks_count} blocks of "
                        f"{bmap.block_size} bytes do not make {bmap.image_size} bytes")
    previous_last = -1
    for block_range in bmap.ranges:
        if block_range.first <= previous_last:
            raise BmapError(f"{where}: {block_range.describe()} overlaps or is out of order")
        if block_range.last >= bmap.blocks_count:
            raise BmapError(f"{where}: {block_range.describe()} lies beyond the image's "
                            f"{bmap.blocks_count} blocks")
        previous_last = block_range.last
    mapped = sum(r.blocks for r in bmap.ranges)
    if mapped != bmap.mapped_blocks_count:
        raise BmapError(f"{where} is inconsistent: its ranges map {mapped} blocks, "
                        f"<MappedBlocksCount> says {bmap.mapped_blocks_count}")
