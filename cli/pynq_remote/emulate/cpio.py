"""A writer of the ``newc`` cpio format the Linux kernel unpacks as its
initial RAM file system (Documentation/driver-api/early-userspace).

Entries are built in memory with fixed owners (root) and times (0), so the
same inputs always give the same bytes, and device nodes need no privileges.
"""

import stat

_MAGIC = b"070701"
TRAILER = "TRAILER!!!"


def _pad4(length):
    return b"\0" * (-length % 4)


class CpioArchive:
    """Entries in the order added; ``bytes()`` of it is the archive."""

    def __init__(self):
        self._chunks = []
        self._names = set()
        self._inode = 0

    def __contains__(self, name):
        return name.strip("/") in self._names

    @property
    def names(self):
        return sorted(self._names)

    def directory(self, name, mode=0o755):
        """Adds a directory (and its missing parents)."""
        self._parents(name)
        if name.strip("/") not in self._names:
            self._entry(name, stat.S_IFDIR | mode)

    def file(self, name, data, mode=0o644):
        self._parents(name)
        self._entry(name, stat.S_IFREG | mode, bytes(data))

    def symlink(self, name, target):
        self._parents(name)
        self._entry(name, stat.S_IFLNK | 0o777, target.encode())

    def char_device(self, name, major, minor, mode=0o600):
        self._parents(name)
        self._entry(name, stat.S_IFCHR | mode, rdev=(major, minor))

    def __bytes__(self):
        return b"".join(self._chunks) + self._header(TRAILER, 0, b"")

    def _parents(self, name):
        parts = name.strip("/").split("/")[:-1]
        for depth in range(1, len(parts) + 1):
            parent = "/".join(parts[:depth])
            if parent not in self._names:
                self._entry(parent, stat.S_IFDIR | 0o755)

    def _entry(self, name, mode, data=b"", rdev=(0, 0)):
        name = name.strip("/")
        if not name or name in self._names:
            raise ValueError(f"cpio: {name!r} is empty or already in the archive")
        self._names.add(name)
        self._inode += 1
        self._chunks.append(self._header(name, mode, data, self._inode, rdev))

    @staticmethod
    def _header(name, mode, data, inode=0, rdev=(0, 0)):
        encoded = name.encode() + b"\0"
        nlink = 2 if stat.S_ISDIR(mode) else 1
        fields = (inode, mode, 0, 0, nlink if name != TRAILER else 1, 0, len(data),
                  0, 0, rdev[0], rdev[1], len(encoded), 0)
        header = _MAGIC + b"".join(b"%08x" % field for field in fields)
        return header + encoded + _pad4(len(header) + len(encoded)) + data + _pad4(len(data))
