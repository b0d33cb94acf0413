"""Builds what the emulated target boots: the aarch64 server (cross-built
from the checkout or the installed sources, or ``$PYNQ_REMOTE_TARGET_SERVER``), the pinned
kernel, and the RAM-disk. Everything lands in the cache and is rebuilt only
when its inputs change: the RAM-disk is named by a hash of every file in it."""

import dataclasses
import hashlib
import os
import pathlib
import re
import shutil
import subprocess
import tempfile

from .. import sources
from ..errors import PynqRemoteUserError, ServerNotFound
from . import host, packages, ramdisk

TARGET_SERVER_ENV = "PYNQ_REMOTE_TARGET_SERVER"
CACHE_ENV = "PYNQ_REMOTE_EMULATE_CACHE"
CROSS_BUILD_SCRIPT = sources.root() / "scripts" / "cross-build-server.sh"
CROSS_BUILT_SERVER = sources.server_source_dir() / "build-aarch64" / "pynq-remote-server"


class BuildFailed(PynqRemoteUserError):
    """A build step failed; the message names its log."""


@dataclasses.dataclass(frozen=True)
class Artifacts:
    """What QEMU boots."""

    kernel: pathlib.Path
    initrd: pathlib.Path
    kernel_release: str
    key: str  # the RAM-disk's input hash

    @property
    def initrd_bytes(self):
        return self.initrd.stat().st_size


def cache_dir():
    """``$PYNQ_REMOTE_EMULATE_CACHE``, else ``$XDG_CACHE_HOME/pynq-remote/emulate``
    (``~/.cache/pynq-remote/emulate``)."""
    explicit = os.environ.get(CACHE_ENV)
    if explicit:
        return pathlib.Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or pathlib.Path.home() / ".cache"
    return pathlib.Path(base) / "pynq-remote" / "emulate"


def _no_progress(_message):
    pass


def target_server(cache, progress=_no_progress):
    """The aarch64 server: ``$PYNQ_REMOTE_TARGET_SERVER``, else cross-built
    (incrementally) from this source tree by scripts/cross-build-server.sh."""
    explicit = os.environ.get(TARGET_SERVER_ENV)
    if explicit:
        if not os.access(explicit, os.R_OK):
            raise ServerNotFound(f"{TARGET_SERVER_ENV}={explicit} is not a readable file")
        return pathlib.Path(explicit)
    host.require("cross-building the server", tools=host.BUILD_TOOLS, files=host.BUILD_FILES)
    if sources.is_installed():
        return _cross_build_installed(cache, progress)
    step = "cross-building pynq-remote-server for aarch64"
    progress(step)
    log = pathlib.Path(cache) / "logs" / "cross-build.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "w") as out:
        build = subprocess.Popen([str(CROSS_BUILD_SCRIPT)], stdout=subprocess.PIPE,
                                 stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                 text=True, errors="replace")
        for line in build.stdout:
            out.write(line)
            percent = re.match(r"\[\s*(\d+)%\]", line)
            if percent:
                progress(f"{step} ({percent.group(1)}%)")
        code = build.wait()
    if code != 0 or not CROSS_BUILT_SERVER.is_file():
        raise BuildFailed(f"cross-building the server failed (exit code {code}); see {log}")
    return CROSS_BUILT_SERVER


def _cross_build_installed(cache, progress):
    """Cross-builds the installed sources into the cache, once per their content."""
    toolchain = sources.server_source_dir() / "cmake" / "aarch64-linux-gnu.cmake"
    options = [f"-DCMAKE_TOOLCHAIN_FILE={toolchain}", "-DCMAKE_BUILD_TYPE=Release",
               "-DPYNQ_REMOTE_BUILD_TESTS=OFF"]
    folder = pathlib.Path(cache) / "cross-build" / sources.serverbuild.sources_key(*options)
    server = folder / "pynq-remote-server"
    if server.is_file():
        return server
    try:
        return sources.serverbuild.build(
            folder, options, "cross-building pynq-remote-server for aarch64", progress)
    except sources.BuildFailed as error:
        raise BuildFailed(error.msg) from error


def stripped(server, cache):
    """A copy of ``server`` without symbols, cached by content; the server
    itself when the cross binutils are missing."""
    data = pathlib.Path(server).read_bytes()
    digest = hashlib.sha256(data).hexdigest()[:16]
    target = pathlib.Path(cache) / "servers" / digest / "pynq-remote-server"
    if target.is_file():
        return target
    strip = shutil.which("aarch64-linux-gnu-strip")
    if strip is None:
        return pathlib.Path(server)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as staging:
        partial = pathlib.Path(staging) / target.name
        result = subprocess.run([strip, "--strip-all", "-o", str(partial), str(server)],
                                capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise BuildFailed(f"stripping {server} failed: {result.stderr.strip()}")
        partial.replace(target)
    return target


def build(cache=None, progress=_no_progress):
    """Builds (or finds in the cache) everything the emulated target boots."""
    cache = (pathlib.Path(cache) if cache else cache_dir()).absolute()
    cache.mkdir(parents=True, exist_ok=True)
    server = stripped(target_server(cache, progress), cache)
    progress("fetching the Debian arm64 kernel and busybox")
    busybox = packages.busybox(cache)
    kernel = packages.kernel(cache)
    entries = ramdisk.plan(server, busybox, kernel)
    key = ramdisk.key(entries, kernel.release)
    folder = cache / "ramdisks" / key[:16]
    initrd = folder / "initrd.cpio.gz"
    if not initrd.is_file():
        progress("assembling the RAM-disk")
        folder.mkdir(parents=True, exist_ok=True)
        ramdisk.write(entries, initrd)
    return Artifacts(kernel.image, initrd, kernel.release, key)
