"""The RAM-disk of the emulated target: busybox, the server with exactly the
shared libraries its ``NEEDED`` entries (and theirs) name, the kernel
modules the SoC needs, and the init scripts in ``guest/``; written as a
gzip-compressed ``newc`` cpio archive."""

import dataclasses
import gzip
import hashlib
import os
import pathlib
import tempfile

from ..errors import PynqRemoteUserError
from . import elf
from .cpio import CpioArchive

GUEST_FILES = pathlib.Path(__file__).resolve().parent / "guest"
LIBRARY_DIRS = ("/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
                "/usr/aarch64-linux-gnu/lib")
GUEST_LIBDIR = "lib/aarch64-linux-gnu"
SERVER_PATH = "usr/bin/pynq-remote-server"
# Format of what this module writes: part of the cache key.
FORMAT = 1
_ARCH_NAMES = {elf.EM_AARCH64: "arm64", elf.EM_ARM: "armhf"}


class LibraryNotFound(PynqRemoteUserError):
    """A shared library the server needs is not on this machine."""


@dataclasses.dataclass(frozen=True)
class Entry:
    """One RAM-disk entry: a file's bytes, a symlink's target, or a device."""

    path: str
    kind: str  # "file", "symlink", "dir" or "char"
    data: bytes = b""
    mode: int = 0o644
    device: tuple = (0, 0)


def needed_libraries(binary, search_dirs=LIBRARY_DIRS, machine=None):
    """What ``binary`` needs to run: ``(interpreter, libraries)`` where
    ``interpreter`` is its ``PT_INTERP`` path (or "") and ``libraries`` maps
    each soname, followed through ``NEEDED`` entries, to the file found in its
    ``RUNPATH`` or ``search_dirs``. Raises ``LibraryNotFound``."""
    binary = pathlib.Path(binary)
    info = elf.read_elf(binary.read_bytes(), str(binary))
    machine = info.machine if machine is None else machine
    interpreter = info.interpreter
    libraries = {}
    pending = [(binary, info)]
    while pending:
        user, user_info = pending.pop()
        for soname in user_info.needed:
            if soname in libraries or soname == pathlib.PurePosixPath(interpreter).name:
                continue
            origin = str(user.parent)
            dirs = [d.replace("$ORIGIN", origin) for d in user_info.runpath]
            found = _find_library(soname, dirs + list(search_dirs), machine)
            if found is None:
                raise LibraryNotFound(
                    f"{soname} (needed by {user.name}) is in none of "
                    f"{', '.join(map(str, dirs + list(search_dirs)))}: is its "
                    f"{_ARCH_NAMES.get(machine, 'target')} package installed?")
            libraries[soname] = found
            pending.append((found, elf.read_elf(found.read_bytes(), str(found))))
    return interpreter, libraries


def _find_library(soname, dirs, machine):
    for folder in dirs:
        candidate = pathlib.Path(folder) / soname
        if candidate.is_file():
            with open(candidate, "rb") as f:
                header = f.read(20)
            if header[:4] == b"\x7fELF" and int.from_bytes(header[18:20], "little") == machine:
                return candidate.resolve()
    return None


def plan(server, busybox, kernel, search_dirs=LIBRARY_DIRS, guest_files=GUEST_FILES,
         guest_libdir=GUEST_LIBDIR):
    """Every entry of the RAM-disk, in archive order. ``server`` is the
    (stripped) server for the target's architecture, ``busybox`` the static
    busybox, ``kernel`` has the ``modules`` to load (a ``packages.Kernel``);
    the libraries go to ``guest_libdir``."""
    interpreter, libraries = needed_libraries(server, search_dirs)
    guest = pathlib.Path(guest_files)
    entries = [Entry(d, "dir", mode=0o755) for d in
               ("bin", "sbin", "usr/sbin", "etc/init.d", "proc", "sys", "dev", "tmp", "root",
                "usr/bin", guest_libdir, "lib/modules", "var/cache/pynq-remote")]
    entries += [
        Entry("dev/console", "char", mode=0o600, device=(5, 1)),
        Entry("dev/null", "char", mode=0o666, device=(1, 3)),
        Entry("bin/busybox", "file", pathlib.Path(busybox).read_bytes(), 0o755),
        Entry("bin/sh", "symlink", b"busybox"),
        Entry("init", "symlink", b"bin/busybox"),
        Entry("etc/inittab", "file", (guest / "inittab").read_bytes()),
        Entry("etc/init.d/rcS", "file", (guest / "rcS").read_bytes(), 0o755),
        Entry("etc/init.d/pynq-remote", "file",
              (guest / "pynq-remote").read_bytes(), 0o755),
        Entry("etc/hostname", "file", b"pynq-remote-emulate\n"),
        Entry("etc/modules", "file", "".join(m.name + "\n" for m in kernel.modules).encode()),
    ]
    entries += [Entry(f"lib/modules/{m.name}", "file", m.read_bytes()) for m in kernel.modules]
    entries.append(Entry(SERVER_PATH, "file", pathlib.Path(server).read_bytes(), 0o755))
    if interpreter:
        loader = pathlib.Path(interpreter).resolve()
        entries.append(Entry(interpreter.lstrip("/"), "file", loader.read_bytes(), 0o755))
    for soname, path in sorted(libraries.items()):
        entries.append(Entry(f"{guest_libdir}/{soname}", "file", path.read_bytes(), 0o644))
    return entries


def key(entries, *extra):
    """A hex sha256 of every entry (path, kind, mode, device, content) and ``extra``."""
    digest = hashlib.sha256(f"pynq-remote ramdisk format {FORMAT}\n".encode())
    for e in entries:
        digest.update(f"{e.path}\0{e.kind}\0{e.mode:o}\0{e.device}\0".encode())
        digest.update(hashlib.sha256(e.data).digest())
    for item in extra:
        digest.update(str(item).encode() + b"\0")
    return digest.hexdigest()


def archive(entries):
    """The uncompressed cpio archive of ``entries``."""
    cpio = CpioArchive()
    for e in entries:
        if e.kind == "dir":
            cpio.directory(e.path, e.mode)
        elif e.kind == "file":
            cpio.file(e.path, e.data, e.mode)
        elif e.kind == "symlink":
            cpio.symlink(e.path, e.data.decode())
        elif e.kind == "char":
            cpio.char_device(e.path, *e.device, mode=e.mode)
        else:
            raise ValueError(f"unknown RAM-disk entry kind {e.kind!r}")
    return bytes(cpio)


def write(entries, path):
    """Writes the gzip-compressed archive to ``path`` (atomically); returns its size."""
    path = pathlib.Path(path)
    # A name of its own, so that builds running side by side never mix.
    with tempfile.NamedTemporaryFile(dir=path.parent, prefix=path.name,
                                     delete=False) as raw:
        # mtime 0 and no file name: the same entries give the same bytes.
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0,
                           compresslevel=9) as compressed:
            compressed.write(archive(entries))
    os.replace(raw.name, path)
    return path.stat().st_size
