"""Block devices as Linux describes them in /sys/block, and what is using them.

A disk counts as removable when the kernel says so (``removable``), when it
hangs off USB, or when it is an SD card (the mmc driver never sets
``removable``: eMMC and SD cards differ only in ``device/type``). A disk is in
use when it or one of its partitions is mounted (/proc/self/mountinfo, by
device number), is swap (/proc/swaps), or has holders (device-mapper, RAID,
LVM: ``holders/``).
"""

from __future__ import annotations

import dataclasses
import os
import re
import stat

SYS_BLOCK = "/sys/block"
SYS_CLASS_BLOCK = "/sys/class/block"
MOUNTINFO = "/proc/self/mountinfo"
SWAPS = "/proc/swaps"
SECTOR_BYTES = 512  # /sys/block/*/size counts 512-byte sectors whatever the device's


@dataclasses.dataclass(frozen=True)
class Disk:
    """One whole block device (``name`` as in /sys/block)."""

    name: str
    path: str
    size: int
    model: str
    vendor: str
    transport: str
    removable: bool
    read_only: bool
    partitions: tuple = ()
    mounts: tuple = ()
    holders: tuple = ()
    swaps: tuple = ()

    @property
    def in_use(self):
        return bool(self.mounts or self.holders or self.swaps)

    def usage(self):
        """Why the disk is in use, as one phrase, or ''."""
        reasons = [f"{device} is mounted on {point}" for device, point in self.mounts]
        reasons += [f"{device} is swap" for device in self.swaps]
        reasons += [f"{device} is held by {holder}" for device, holder in self.holders]
        return "; ".join(reasons)

    def label(self):
        """``Vendor Model`` as far as known."""
        return " ".join(part for part in (self.vendor, self.model) if part) or "unknown model"

    def as_dict(self):
        data = dataclasses.asdict(self)
        data["mounts"] = [{"device": d, "mountpoint": p} for d, p in self.mounts]
        data["holders"] = [{"device": d, "holder": h} for d, h in self.holders]
        data["partitions"] = list(self.partitions)
        data["swaps"] = list(self.swaps)
        return data


def list_disks(removable_only=True):
    """The disks of /sys/block, removable ones only by default.

    Empty card readers (size 0) and optical drives are left out.
    """
    try:
        names = sorted(os.listdir(SYS_BLOCK))
    except FileNotFoundError:
        return []
    disks = [describe_disk(name) for name in names if not name.startswith("sr")]  # CD/DVD
    return [d for d in disks if d.size > 0 and (d.removable or not removable_only)]


def block_device_name(path):
    """The /sys/class/block name of the block device at ``path`` (following links)."""
    rdev = os.stat(path).st_rdev
    link = f"/sys/dev/block/{os.major(rdev)}:{os.minor(rdev)}"
    return os.path.basename(os.path.realpath(link))


def parent_disk(name):
    """The whole disk a partition ``name`` belongs to, or None if it is a whole disk."""
    if not os.path.exists(os.path.join(SYS_CLASS_BLOCK, name, "partition")):
        return None
    return os.path.basename(os.path.dirname(os.path.realpath(
        os.path.join(SYS_CLASS_BLOCK, name))))


def device_size(name):
    """The size in bytes of block device ``name`` (a disk or a partition)."""
    return int(_read(os.path.join(SYS_CLASS_BLOCK, name, "size")) or 0) * SECTOR_BYTES


def describe_disk(name):
    """The ``Disk`` of /sys/block/``name``, with what uses it."""
    base = os.path.join(SYS_BLOCK, name)
    partitions = tuple(sorted(
        entry for entry in os.listdir(base)
        if os.path.exists(os.path.join(base, entry, "partition"))))
    devices = (name, *partitions)
    numbers = {_read(os.path.join(SYS_CLASS_BLOCK, d, "dev")): d for d in devices}
    transport = _transport(name, base)
    removable = (_read(os.path.join(base, "removable")) == "1" or transport == "usb"
                 or (transport == "mmc" and _read(os.path.join(base, "device", "type")) == "SD"))
    return Disk(
        name=name, path=f"/dev/{name}",
        size=device_size(name),
        model=_read(os.path.join(base, "device", "model")) or _read(
            os.path.join(base, "device", "name")),
        vendor=_read(os.path.join(base, "device", "vendor")),
        transport=transport, removable=removable,
        read_only=_read(os.path.join(base, "ro")) == "1",
        partitions=partitions,
        mounts=tuple(_mounts(numbers)),
        holders=tuple((d, h) for d in devices
                      for h in _listdir(os.path.join(SYS_CLASS_BLOCK, d, "holders"))),
        swaps=tuple(_swaps(devices)))


def loop_backing_users(path):
    """The loop devices whose backing file is ``path``."""
    real = os.path.realpath(path)
    users = []
    for name in _listdir(SYS_BLOCK):
        backing = _read(os.path.join(SYS_BLOCK, name, "loop", "backing_file"))
        if backing and os.path.realpath(backing) == real:
            users.append(f"/dev/{name}")
    return users


def is_block_device(path):
    return stat.S_ISBLK(os.stat(path).st_mode)


def _transport(name, base):
    real = os.path.realpath(base)
    if "/usb" in real:
        return "usb"
    for prefix, transport in (("mmcblk", "mmc"), ("nvme", "nvme"), ("loop", "loop"),
                              ("vd", "virtio"), ("xvd", "xen"), ("md", "raid"),
                              ("dm-", "device-mapper"), ("zram", "zram"), ("ram", "ram")):
        if name.startswith(prefix):
            return transport
    if "/ata" in real:
        return "sata"
    if "/virtio" in real:
        return "virtio"
    return "scsi" if name.startswith("sd") else ""


def _mounts(numbers):
    try:
        with open(MOUNTINFO, encoding="utf-8", errors="replace") as file:
            lines = file.readlines()
    except OSError:
        return
    for line in lines:
        fields = line.split()
        if len(fields) > 4 and fields[2] in numbers:
            yield f"/dev/{numbers[fields[2]]}", _unescape(fields[4])


def _swaps(devices):
    paths = {f"/dev/{d}" for d in devices}
    try:
        with open(SWAPS, encoding="utf-8", errors="replace") as file:
            lines = file.readlines()[1:]
    except OSError:
        return
    for line in lines:
        fields = line.split()
        if fields and os.path.realpath(_unescape(fields[0])) in paths:
            yield os.path.realpath(_unescape(fields[0]))


def _unescape(text):
    """Undoes the octal escapes (``\\040`` for a space) of /proc mount tables."""
    return re.sub(r"\\([0-7]{3})", lambda match: chr(int(match.group(1), 8)), text)


def _read(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as file:
            return file.read().strip()
    except OSError:
        return ""


def _listdir(path):
    try:
        return sorted(os.listdir(path))
    except OSError:
        return []
