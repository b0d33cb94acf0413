"""Disk images to flash: raw (``.wic``, ``.img``) or compressed, read as one stream.

The compression is recognised by the file's first bytes (gzip, xz, bzip2,
zstd); a name ending in one of their extensions must hold that format. A
corrupt or truncated compressed image raises ``ImageError`` while it is read.
"""

from __future__ import annotations

import bz2
import dataclasses
import gzip
import io
import lzma
import os
import zlib

import zstandard

from .errors import ImageError

_MAGIC = (
    ("gzip", b"\x1f\x8b"),
    ("xz", b"\xfd7zXZ\x00"),
    ("bzip2", b"BZh"),
    ("zstd", b"\x28\xb5\x2f\xfd"),
)
EXTENSIONS = {".gz": "gzip", ".xz": "xz", ".bz2": "bzip2", ".zst": "zstd"}
_DECODE_ERRORS = (EOFError, OSError, zlib.error, lzma.LZMAError, zstandard.ZstdError)


@dataclasses.dataclass(frozen=True)
class Image:
    path: str
    compression: str | None
    file_size: int

    @property
    def raw_size(self):
        """The image's size when it can be known without decompressing, else None."""
        return self.file_size if self.compression is None else None

    def open(self):
        """A binary stream of the (decompressed) image; close it after use."""
        return ImageStream(self)

    def measure(self, progress=None, chunk_bytes=4 << 20):
        """The image's size: its file size, or the bytes it decompresses to.

        ``progress(compressed_bytes_read, file_size)`` follows a decompression.
        """
        if self.compression is None:
            return self.file_size
        size = 0
        buffer = bytearray(chunk_bytes)
        with self.open() as stream:
            while True:
                count = stream.readinto(buffer)
                if not count:
                    return size
                size += count
                if progress:
                    progress(stream.compressed_position(), self.file_size)


def inspect_image(path):
    """The ``Image`` at ``path``; raises ``ImageError`` if it is missing or mislabelled."""
    path = os.fspath(path)
    try:
        with open(path, "rb") as file:
            head = file.read(8)
            size = os.fstat(file.fileno()).st_size
    except FileNotFoundError:
        raise ImageError(f"no such image: {path}") from None
    except IsADirectoryError:
        raise ImageError(f"{path} is a directory, not an image") from None
    except OSError as error:
        raise ImageError(f"cannot read image {path}: {error.strerror}") from None
    compression = next((name for name, magic in _MAGIC if head.startswith(magic)), None)
    expected = EXTENSIONS.get(os.path.splitext(path)[1].lower())
    if expected is not None and compression != expected:
        raise ImageError(f"{path} is not {expected} data (its first bytes are "
                         f"{head[:6].hex()}): is the download complete?")
    return Image(path, compression, size)


class ImageStream(io.RawIOBase):
    """Reads an image's bytes, decompressing them; decoding errors become ``ImageError``."""

    def __init__(self, image):
        super().__init__()
        self._image = image
        self._file = open(image.path, "rb")  # noqa: SIM115 (closed in close())
        self._stream = self._decoder()

    def _decoder(self):
        compression = self._image.compression
        if compression is None:
            return self._file
        if compression == "gzip":
            return gzip.GzipFile(fileobj=self._file, mode="rb")
        if compression == "xz":
            return lzma.LZMAFile(self._file)
        if compression == "bzip2":
            return bz2.BZ2File(self._file)
        return zstandard.ZstdDecompressor().stream_reader(
            self._file, read_size=1 << 20, read_across_frames=True, closefd=False)

    @property
    def name(self):
        return self._image.path

    def readable(self):
        return True

    def readinto(self, buffer):
        try:
            return self._stream.readinto(buffer)
        except _DECODE_ERRORS as error:
            raise ImageError(f"{self._image.path} is corrupt or truncated "
                             f"({self._image.compression or 'raw'}): {error}") from None

    def skip(self, count, scratch):
        """Skips ``count`` bytes (seeks in a raw image; decompresses into ``scratch``)."""
        if self._image.compression is None:
            self._file.seek(count, os.SEEK_CUR)
            return
        view = memoryview(scratch)
        while count:
            got = self.readinto(view[:min(count, len(view))])
            if not got:
                raise ImageError(f"{self._image.path} ends early: {count} bytes missing")
            count -= got

    def compressed_position(self):
        return self._file.tell()

    def close(self):
        if not self.closed:
            try:
                if self._stream is not self._file:
                    self._stream.close()
            finally:
                self._file.close()
        super().close()
