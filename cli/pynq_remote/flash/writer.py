"""Writing an image's extents to a disk or file, and reading them back to verify.

A block device is opened ``O_EXCL`` (the kernel refuses while it or a
partition is mounted or claimed) and, where it allows, ``O_DIRECT``: writes
bypass the page cache, so the progress shows the card's real speed and the
verify pass reads the card, not memory. Data moves in 4 MiB page-aligned
buffers; a reader thread decompresses and checksums the next buffers while
the current one is written. The end is an ``fsync``.
"""

from __future__ import annotations

import dataclasses
import errno
import fcntl
import grp
import hashlib
import mmap
import os
import queue
import threading

from .errors import ChecksumMismatch, ImageError, TargetRefused, TargetUnavailable, VerifyFailed

CHUNK_BYTES = 4 << 20
PIPELINE_BUFFERS = 4


@dataclasses.dataclass(frozen=True)
class Extent:
    """``length`` bytes at ``offset`` of both the image and the target."""

    offset: int
    length: int
    label: str
    checksum_type: str = "sha256"
    expected: str | None = None  # the bmap's checksum of these bytes, if any


class Target:
    """An open target: a block device (exclusive) or a regular file."""

    def __init__(self, path, fd, is_block, direct):
        self.path = path
        self.fd = fd
        self.is_block = is_block
        self.direct = direct
        self.alignment = 4096 if direct else 1

    def write_at(self, buffer, count, offset):
        view = memoryview(buffer)[:count]
        with self._unaligned(offset, count):
            while view:
                done = os.pwrite(self.fd, view, offset)
                view, offset = view[done:], offset + done

    def read_at(self, buffer, count, offset):
        """Reads ``count`` bytes at ``offset`` into ``buffer``; returns how many it got."""
        total = 0
        with self._unaligned(offset, 0):
            want = -(-count // self.alignment) * self.alignment
            view = memoryview(buffer)[:want]
            while total < count:
                got = os.preadv(self.fd, [view[total:]], offset + total)
                if not got:
                    break
                total += got
        return min(total, count)

    def sync(self):
        os.fsync(self.fd)

    def drop_cache(self):
        """Forgets cached pages, so that reads come from the disk (best effort)."""
        try:
            os.posix_fadvise(self.fd, 0, 0, os.POSIX_FADV_DONTNEED)
        except OSError:
            pass

    def close(self):
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None

    def __enter__(self):
        return self

    def __exit__(self, *_exc):
        self.close()

    def _unaligned(self, offset, count):
        """Turns O_DIRECT off around an access it cannot do (unaligned offset or length)."""
        aligned = offset % self.alignment == 0 and count % self.alignment == 0
        return _DirectOff(self.fd) if self.direct and not aligned else _Nothing()


class _Nothing:
    def __enter__(self):
        return self

    def __exit__(self, *_exc):
        return False


class _DirectOff:
    def __init__(self, fd):
        self.fd = fd

    def __enter__(self):
        flags = fcntl.fcntl(self.fd, fcntl.F_GETFL)
        fcntl.fcntl(self.fd, fcntl.F_SETFL, flags & ~os.O_DIRECT)
        return self

    def __exit__(self, *_exc):
        flags = fcntl.fcntl(self.fd, fcntl.F_GETFL)
        fcntl.fcntl(self.fd, fcntl.F_SETFL, flags | os.O_DIRECT)
        return False


def open_target(path, is_block, create_size=None):
    """Opens ``path`` for reading and writing; a block device exclusively.

    A regular file is created if missing; with ``create_size`` it is extended
    to that size first (holes where nothing is written).
    """
    flags = os.O_RDWR | os.O_CLOEXEC
    try:
        if is_block:
            try:
                fd = os.open(path, flags | os.O_EXCL | os.O_DIRECT)
                return Target(path, fd, True, True)
            except OSError as error:
                if error.errno != errno.EINVAL:
                    raise
            return Target(path, os.open(path, flags | os.O_EXCL), True, False)
        fd = os.open(path, flags | os.O_CREAT, 0o644)
        if create_size is not None:
            os.ftruncate(fd, create_size)
        return Target(path, fd, False, False)
    except OSError as error:
        raise _open_error(path, error) from None


def _open_error(path, error):
    if error.errno == errno.EBUSY:
        return TargetRefused(f"{path} is busy: it or one of its partitions is mounted or "
                             "opened exclusively by another program")
    if error.errno in (errno.EACCES, errno.EPERM):
        return TargetUnavailable(f"permission denied opening {path} for writing: "
                                 f"{_permission_hint(path)}")
    if error.errno in (errno.ENOENT, errno.ENXIO, errno.ENODEV, errno.ENOMEDIUM):
        return TargetUnavailable(f"no such device: {path} ({error.strerror}; "
                                 "is the card inserted?)")
    if error.errno == errno.EROFS:
        return TargetRefused(f"{path} is read-only (is the SD card's lock switch on?)")
    return TargetUnavailable(f"cannot open {path}: {error.strerror}")


def _permission_hint(path):
    try:
        group = grp.getgrgid(os.stat(path).st_gid).gr_name
    except (OSError, KeyError):
        return "run with sudo"
    if group == "root":
        return "run with sudo"
    return f"run with sudo, or join the '{group}' group (sudo usermod -aG {group} $USER, " \
           "then log in again)"


def write_extents(target, stream, extents, progress=None, chunk_bytes=CHUNK_BYTES):
    """Writes each extent of ``stream`` (an ``ImageStream``) to ``target``, then fsyncs.

    An extent with an ``expected`` checksum that its bytes do not match raises
    ``ChecksumMismatch`` naming it. Returns the hex digest of each extent, for
    ``verify_extents``. ``progress(bytes_written, bytes_total)`` follows.
    """
    total = sum(extent.length for extent in extents)
    free = queue.Queue()
    for _ in range(PIPELINE_BUFFERS):
        free.put(mmap.mmap(-1, chunk_bytes))
    filled = queue.Queue()
    stop = threading.Event()
    digests = [None] * len(extents)
    reader = threading.Thread(target=_read_extents, name="flash-reader", daemon=True,
                              args=(stream, extents, free, filled, stop, digests, chunk_bytes))
    reader.start()
    written = 0
    try:
        while True:
            item = filled.get()
            if item is None:
                break
            if isinstance(item, BaseException):
                raise item
            offset, buffer, count = item
            try:
                target.write_at(buffer, count, offset)
            except OSError as error:
                raise TargetUnavailable(f"writing {target.path} failed at byte {offset}: "
                                        f"{error.strerror}") from None
            free.put(buffer)
            written += count
            if progress:
                progress(written, total)
    finally:
        stop.set()
        reader.join()
    try:
        target.sync()
    except OSError as error:
        raise TargetUnavailable(f"flushing {target.path} failed: {error.strerror}") from None
    return digests


def _read_extents(stream, extents, free, filled, stop, digests, chunk_bytes):
    """The reader thread: fills buffers with each extent's bytes and checksums them."""
    try:
        position = 0
        scratch = None
        for index, extent in enumerate(extents):
            if extent.offset > position:
                scratch = scratch or bytearray(chunk_bytes)
                stream.skip(extent.offset - position, scratch)
            hasher = hashlib.new(extent.checksum_type)
            done = 0
            while done < extent.length:
                buffer = _take(free, stop)
                if buffer is None:
                    return
                view = memoryview(buffer)[:min(chunk_bytes, extent.length - done)]
                count = _read_full(stream, view)
                if count < len(view):
                    raise ImageError(f"{stream.name} ends early, at byte "
                                     f"{extent.offset + done + count} of its "
                                     f"{extents[-1].offset + extents[-1].length}")
                hasher.update(view)
                view.release()
                filled.put((extent.offset + done, buffer, count))
                done += count
            digests[index] = hasher.hexdigest()
            if extent.expected is not None and digests[index] != extent.expected:
                raise ChecksumMismatch(
                    f"{stream.name} does not match its bmap in {extent.label} "
                    f"(bytes {extent.offset}-{extent.offset + extent.length - 1}): "
                    f"{extent.checksum_type} is {digests[index]}, the bmap says "
                    f"{extent.expected}; the image is corrupt or the bmap is another's")
            position = extent.offset + extent.length
        filled.put(None)
    except BaseException as error:  # handed to the writing thread, which raises it
        filled.put(error)


def _take(free, stop):
    while not stop.is_set():
        try:
            return free.get(timeout=0.1)
        except queue.Empty:
            continue
    return None


def _read_full(stream, view):
    total = 0
    while total < len(view):
        got = stream.readinto(view[total:])
        if not got:
            break
        total += got
    return total


def verify_extents(target, extents, digests, progress=None, chunk_bytes=CHUNK_BYTES):
    """Reads each extent back from ``target`` and compares it with its digest.

    Raises ``VerifyFailed`` naming the first extent that differs.
    """
    target.drop_cache()
    buffer = mmap.mmap(-1, chunk_bytes)
    total = sum(extent.length for extent in extents)
    checked = 0
    for extent, digest in zip(extents, digests):
        hasher = hashlib.new(extent.checksum_type)
        done = 0
        while done < extent.length:
            want = min(chunk_bytes, extent.length - done)
            try:
                count = target.read_at(buffer, want, extent.offset + done)
            except OSError as error:
                raise VerifyFailed(f"reading {target.path} back failed at byte "
                                   f"{extent.offset + done}: {error.strerror}") from None
            if count < want:
                raise VerifyFailed(f"{target.path} ends at byte {extent.offset + done + count}"
                                   f", before the image's end")
            with memoryview(buffer) as view:
                hasher.update(view[:count])
            done += count
            checked += count
            if progress:
                progress(checked, total)
        if hasher.hexdigest() != digest:
            raise VerifyFailed(
                f"{target.path} does not hold what was written in {extent.label} (bytes "
                f"{extent.offset}-{extent.offset + extent.length - 1}): the card may be "
                "failing or smaller than it claims; try another card")
