"""Flashing an image: check the target is safe, write the image, verify it.

``plan_flash`` makes every check before anything is written and returns a
``FlashPlan`` to show the user; ``run_flash`` carries it out; ``flash_image``
does both, asking ``confirm(plan)`` in between.

Safety rules, in order: the target must exist (a path under /dev/ is never
created); a block device must be a whole disk (not a partition) that is
removable (USB, SD card, or the kernel's ``removable``), unless ``force``; it
must not be mounted, swap, or held by device-mapper/RAID (never overridable),
nor read-only; the image must fit. A regular file is a target too: a new or
empty one is created at the image's size (sparse where the bmap leaves
holes), an existing one counts as a disk of its size.
"""

from __future__ import annotations

import dataclasses
import os
import stat
import time

from . import disks
from .bmap import find_bmap, parse_bmap
from .errors import BmapError, FlashCancelled, TargetRefused, TargetUnavailable
from .images import inspect_image
from .writer import Extent, open_target, verify_extents, write_extents

SEGMENT_BYTES = 64 << 20  # without a bmap, verify failures are located to 64 MiB


@dataclasses.dataclass(frozen=True)
class TargetInfo:
    """Where the image goes: ``kind`` is ``disk``, ``partition`` or ``file``."""

    path: str
    kind: str
    size: int | None  # capacity in bytes; None for a new or empty file
    disk: disks.Disk | None = None

    def describe(self):
        if self.disk is None:
            if self.size is None:
                return f"{self.path} (new file)"
            return f"{self.path} (existing file, {human_size(self.size)})"
        disk = self.disk
        text = f"{self.path} ({disk.label()}, {human_size(self.size)}"
        text += f", {disk.transport})" if disk.transport else ")"
        if self.kind == "partition":
            text += f", a partition of {disk.path}"
        return text


@dataclasses.dataclass(frozen=True)
class FlashPlan:
    image: object  # images.Image
    bmap: object  # bmap.Bmap or None
    image_size: int
    target: TargetInfo
    extents: tuple

    @property
    def bytes_to_write(self):
        return sum(extent.length for extent in self.extents)


@dataclasses.dataclass(frozen=True)
class FlashResult:
    image: str
    target: str
    target_kind: str
    compression: str | None
    bmap: str | None
    image_size: int
    bytes_written: int
    write_seconds: float  # from opening the target to the end of fsync
    verified: bool
    verify_seconds: float | None

    @property
    def write_mb_per_s(self):
        return self.bytes_written / self.write_seconds / 1e6 if self.write_seconds else 0.0

    def as_dict(self):
        return {**dataclasses.asdict(self), "write_mb_per_s": self.write_mb_per_s}


def flash_image(image, target, *, bmap=None, use_bmap=True, force=False, verify=True,
                confirm=None, progress=None):
    """Writes ``image`` to ``target`` safely; returns a ``FlashResult``.

    ``bmap`` names a bmap file; by default one beside the image is used
    (``use_bmap=False`` writes every byte). ``force`` allows a non-removable
    disk or a partition. ``confirm(plan)`` is asked after every check and
    before writing; a false answer raises ``FlashCancelled``.
    ``progress(phase, done, total)`` follows the phases ``measure`` (sizing a
    compressed image without a bmap), ``write`` and ``verify``.
    """
    plan = plan_flash(image, target, bmap=bmap, use_bmap=use_bmap, force=force,
                      progress=progress)
    if confirm is not None and not confirm(plan):
        raise FlashCancelled(f"not confirmed: nothing was written to {plan.target.path}")
    return run_flash(plan, verify=verify, progress=progress)


def plan_flash(image, target, *, bmap=None, use_bmap=True, force=False, progress=None):
    """Checks everything and returns the ``FlashPlan``; writes nothing."""
    image = inspect_image(image)
    target_info = check_target(os.fspath(target), force=force)
    if target_info.kind == "file" and os.path.exists(target_info.path) \
            and os.path.samefile(target_info.path, image.path):
        raise TargetRefused(f"{target_info.path} is the image itself")
    bmap_path = os.fspath(bmap) if bmap is not None else (
        find_bmap(image.path) if use_bmap else None)
    block_map = parse_bmap(bmap_path) if bmap_path else None

    if block_map is not None:
        size = block_map.image_size
        if image.raw_size is not None and image.raw_size != size:
            raise BmapError(f"{block_map.path} describes a {size}-byte image but "
                            f"{image.path} has {image.raw_size} bytes: it is another "
                            "image's bmap")
    elif image.raw_size is not None:
        size = image.raw_size
    else:
        size = image.measure(
            progress=(lambda done, total: progress("measure", done, total)) if progress
            else None)

    if target_info.size is not None and size > target_info.size:
        raise TargetRefused(f"{image.path} is {human_size(size)} ({size} bytes) but "
                            f"{target_info.path} holds only {human_size(target_info.size)} "
                            f"({target_info.size} bytes)")
    return FlashPlan(image, block_map, size, target_info, tuple(_extents(block_map, size)))


def run_flash(plan, *, verify=True, progress=None):
    """Carries out ``plan``: writes, fsyncs and (unless ``verify`` is false) verifies."""
    start = time.monotonic()
    create_size = plan.image_size if plan.target.kind == "file" and plan.target.size is None \
        else None
    with open_target(plan.target.path, plan.target.kind != "file", create_size) as target, \
            plan.image.open() as stream:
        digests = write_extents(
            target, stream, plan.extents,
            progress=(lambda done, total: progress("write", done, total)) if progress
            else None)
        write_seconds = time.monotonic() - start
        verify_seconds = None
        if verify:
            verify_start = time.monotonic()
            verify_extents(
                target, plan.extents, digests,
                progress=(lambda done, total: progress("verify", done, total)) if progress
                else None)
            verify_seconds = time.monotonic() - verify_start
    return FlashResult(
        image=plan.image.path, target=plan.target.path, target_kind=plan.target.kind,
        compression=plan.image.compression,
        bmap=plan.bmap.path if plan.bmap is not None else None,
        image_size=plan.image_size, bytes_written=plan.bytes_to_write,
        write_seconds=write_seconds, verified=verify, verify_seconds=verify_seconds)


def check_target(path, force=False):
    """The ``TargetInfo`` of ``path`` if it is safe to write; else raises why not."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        if os.path.abspath(path).startswith("/dev/"):
            raise TargetUnavailable(f"no such device: {path} (run `pynq-remote flash IMAGE` "
                                    "without TARGET to list the removable disks)") from None
        if not os.path.isdir(os.path.dirname(os.path.abspath(path))):
            raise TargetUnavailable(f"cannot create {path}: no such directory") from None
        return TargetInfo(path, "file", None)
    except PermissionError:
        raise TargetUnavailable(f"permission denied: {path}") from None
    if stat.S_ISREG(mode):
        users = disks.loop_backing_users(path)
        if users:
            raise TargetRefused(f"{path} is the backing file of {', '.join(users)}: write to "
                                "that device, or detach it first (losetup -d)")
        size = os.stat(path).st_size
        return TargetInfo(path, "file", size or None)
    if not stat.S_ISBLK(mode):
        raise TargetRefused(f"{path} is neither a block device nor a regular file")
    return _check_block_device(path, force)


def _check_block_device(path, force):
    name = disks.block_device_name(path)
    parent = disks.parent_disk(name)
    disk = disks.describe_disk(parent or name)
    if parent is not None:
        info = TargetInfo(path, "partition", disks.device_size(name), disk)
        if not force:
            raise TargetRefused(f"{path} is a partition of {disk.path}: an image goes on the "
                                f"whole disk ({disk.path}); --force writes into the partition")
    else:
        info = TargetInfo(path, "disk", disk.size, disk)
    if disk.in_use:
        mounted = " ".join(sorted({device for device, _ in disk.mounts}))
        advice = f"; unmount it first (sudo umount {mounted})" if mounted else ""
        raise TargetRefused(f"{path} is in use: {disk.usage()}{advice}")
    if disk.size == 0 or info.size == 0:
        raise TargetUnavailable(f"{path} has no medium (size 0): is the card inserted?")
    if disk.read_only:
        raise TargetRefused(f"{path} is read-only (is the SD card's lock switch on?)")
    if not disk.removable and not force:
        raise TargetRefused(f"{info.describe()} is not a removable disk: refusing to "
                            "overwrite it without --force")
    return info


def _extents(block_map, size):
    if block_map is not None:
        checksum_type = block_map.checksum_type or "sha256"
        for block_range in block_map.ranges:
            offset, length = block_map.byte_span(block_range)
            yield Extent(offset, length, block_range.describe(), checksum_type,
                         block_range.checksum if block_map.checksum_type else None)
        return
    for offset in range(0, size, SEGMENT_BYTES):
        length = min(SEGMENT_BYTES, size - offset)
        yield Extent(offset, length, f"bytes {offset}-{offset + length - 1}")


def human_size(nbytes):
    """Bytes in the largest binary unit that keeps the number at least 1."""
    value = float(nbytes)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if value < 1024 or unit == "TiB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{nbytes} B"
