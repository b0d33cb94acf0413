"""Test images for ``pynq-remote flash``: sparse files, real bmaps, compressed copies.

Bmaps come from the real ``bmaptool create`` (Debian's bmap-tools, installed by
scripts/install-deps.sh), which proves we read the format bmaptool writes. A
missing tool fails the test: it never skips.
"""

import bz2
import gzip
import hashlib
import lzma
import os
import random
import shutil
import subprocess

import pytest
import zstandard

BLOCK = 4096
PATTERN = b"\xa5\x5a"  # what a target holds before it is flashed


def require_tool(name):
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is not installed: run scripts/install-deps.sh", pytrace=False)
    return path


def make_sparse_image(path, size, data_spans, seed=1):
    """A sparse file of ``size`` bytes with random data at ``data_spans`` [(offset, length)]."""
    rng = random.Random(seed)
    with open(path, "wb") as file:
        file.truncate(size)
        for offset, length in data_spans:
            file.seek(offset)
            file.write(rng.randbytes(length))
    return path


def bmaptool_create(image):
    """Writes ``IMAGE.bmap`` with the real bmaptool; returns its path."""
    bmap = f"{image}.bmap"
    subprocess.run([require_tool("bmaptool"), "create", "-o", bmap, str(image)],
                   check=True, capture_output=True)
    return bmap


def compress(image, compression, dest=None):
    """A compressed copy of ``image``: ``IMAGE.gz``, ``.xz``, ``.bz2`` or ``.zst``."""
    extension = {"gzip": ".gz", "xz": ".xz", "bzip2": ".bz2", "zstd": ".zst"}[compression]
    dest = dest or f"{image}{extension}"
    with open(image, "rb") as source:
        data = source.read()
    if compression == "gzip":
        packed = gzip.compress(data, compresslevel=1)
    elif compression == "xz":
        packed = lzma.compress(data, preset=0)
    elif compression == "bzip2":
        packed = bz2.compress(data, compresslevel=1)
    else:
        # Two frames, as parallel zstd tools write them: both must be read.
        half = len(data) // 2
        compressor = zstandard.ZstdCompressor(level=1, write_checksum=True)
        packed = compressor.compress(data[:half]) + compressor.compress(data[half:])
    with open(dest, "wb") as file:
        file.write(packed)
    return dest


def prefill(path, size):
    """A target file of ``size`` bytes full of ``PATTERN``."""
    with open(path, "wb") as file:
        file.write(PATTERN * (size // len(PATTERN)))
    return path


def read(path, offset=0, length=None):
    with open(path, "rb") as file:
        file.seek(offset)
        return file.read() if length is None else file.read(length)


def write_bmap(path, image, ranges, checksum_type="sha1", version="2.0"):
    """A bmap for ``image`` written by hand (for hashes bmaptool create does not offer).

    ``ranges`` are (first, last) block numbers; the file checksum is computed
    as bmaptool does: over the file with that value as ASCII zeros.
    """
    size = os.path.getsize(image)
    data = read(image)
    hexlen = len(hashlib.new(checksum_type).hexdigest())
    lines = [f"<ImageSize> {size} </ImageSize>", f"<BlockSize> {BLOCK} </BlockSize>",
             f"<BlocksCount> {-(-size // BLOCK)} </BlocksCount>",
             f"<MappedBlocksCount> {sum(b - a + 1 for a, b in ranges)} </MappedBlocksCount>",
             f"<ChecksumType> {checksum_type} </ChecksumType>",
             f"<BmapFileChecksum> {'0' * hexlen} </BmapFileChecksum>", "<BlockMap>"]
    for first, last in ranges:
        digest = hashlib.new(checksum_type, data[first * BLOCK:(last + 1) * BLOCK]).hexdigest()
        lines.append(f'  <Range chksum="{digest}"> {first}-{last} </Range>')
    lines.append("</BlockMap>")
    text = f'<?xml version="1.0" ?>\n<bmap version="{version}">\n' + "\n".join(lines) \
        + "\n</bmap>\n"
    digest = hashlib.new(checksum_type, text.encode()).hexdigest()
    with open(path, "w") as file:
        file.write(text.replace("0" * hexlen, digest, 1))
    return path
