"""Builds what the emulated target boots: the server for the SoC's
architecture (cross-built from the checkout or the installed sources, or
``$PYNQ_REMOTE_TARGET_SERVER`` / ``$PYNQ_REMOTE_TARGET_SERVER_ARMHF``), the
kernel (Debian's pinned arm64 one, or for the Zynq-7000 one built from
Debian's kernel source), the device tree of a Xilinx SoC, and the RAM-disk.
Everything lands in the cache and is rebuilt only when its inputs change:
the RAM-disk is named by a hash of every file in it."""

import dataclasses
import hashlib
import os
import pathlib
import re
import shutil
import subprocess
import tempfile

from .. import sources
from ..errors import ServerNotFound
from . import device_trees, elf, host, packages, ramdisk, socs, zynq_kernel
from .failures import BuildFailed

TARGET_SERVER_ENV = "PYNQ_REMOTE_TARGET_SERVER"
TARGET_SERVER_ENVS = {"aarch64": TARGET_SERVER_ENV, "armhf": "PYNQ_REMOTE_TARGET_SERVER_ARMHF"}
CACHE_ENV = "PYNQ_REMOTE_EMULATE_CACHE"
CROSS_BUILD_SCRIPT = sources.root() / "scripts" / "cross-build-server.sh"
CROSS_BUILT_SERVER = sources.server_source_dir() / "build-aarch64" / "pynq-remote-server"
TOOLCHAINS = {"aarch64": "aarch64-linux-gnu", "armhf": "arm-linux-gnueabihf"}
STRIP_TOOLS = {elf.EM_AARCH64: "aarch64-linux-gnu-strip", elf.EM_ARM: "arm-linux-gnueabihf-strip"}
ZYNQMP_DEVICE_TREE = "zynqmp-zcu102-rev1.0.dtb"


def cross_built_server(arch):
    """Where scripts/cross-build-server.sh puts the server for ``arch``."""
    return sources.server_source_dir() / f"build-{arch}" / "pynq-remote-server"


@dataclasses.dataclass(frozen=True)
class Artifacts:
    """What QEMU boots."""

    kernel: pathlib.Path
    initrd: pathlib.Path
    kernel_release: str
    key: str  # the RAM-disk's input hash
    device_tree: pathlib.Path = None  # QEMU's -dtb; None: QEMU makes one (virt)

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


def target_server(cache, progress=_no_progress, arch="aarch64"):
    """The server for ``arch`` ("aarch64" or "armhf"): ``$PYNQ_REMOTE_TARGET_SERVER``
    (``..._ARMHF``), else cross-built (incrementally) from this source tree
    by scripts/cross-build-server.sh."""
    env = TARGET_SERVER_ENVS[arch]
    explicit = os.environ.get(env)
    if explicit:
        if not os.access(explicit, os.R_OK):
            raise ServerNotFound(f"{env}={explicit} is not a readable file")
        return pathlib.Path(explicit)
    host.require("cross-building the server", tools=host.BUILD_TOOLS[arch],
                 files=host.BUILD_FILES[arch])
    if sources.is_installed():
        return _cross_build_installed(cache, progress, arch)
    step = f"cross-building pynq-remote-server for {arch}"
    progress(step)
    log = pathlib.Path(cache) / "logs" / f"cross-build-{arch}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    built = cross_built_server(arch)
    with open(log, "w") as out:
        build = subprocess.Popen([str(CROSS_BUILD_SCRIPT), arch], stdout=subprocess.PIPE,
                                 stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                 text=True, errors="replace")
        for line in build.stdout:
            out.write(line)
            percent = re.match(r"\[\s*(\d+)%\]", line)
            if percent:
                progress(f"{step} ({percent.group(1)}%)")
        code = build.wait()
    if code != 0 or not built.is_file():
        raise BuildFailed(f"cross-building the server failed (exit code {code}); see {log}")
    return built


def _cross_build_installed(cache, progress, arch):
    """Cross-builds the installed sources into the cache, once per their content."""
    toolchain = sources.server_source_dir() / "cmake" / f"{TOOLCHAINS[arch]}.cmake"
    options = [f"-DCMAKE_TOOLCHAIN_FILE={toolchain}", "-DCMAKE_BUILD_TYPE=Release",
               "-DPYNQ_REMOTE_BUILD_TESTS=OFF"]
    folder = pathlib.Path(cache) / "cross-build" / sources.serverbuild.sources_key(*options)
    server = folder / "pynq-remote-server"
    if server.is_file():
        return server
    try:
        return sources.serverbuild.build(
            folder, options, f"cross-building pynq-remote-server for {arch}", progress)
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
    machine = elf.read_elf(data, str(server)).machine
    strip = shutil.which(STRIP_TOOLS.get(machine, ""))
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


def _server(soc, cache, progress):
    if soc.server_arch == "aarch64":
        return stripped(target_server(cache, progress), cache)
    return stripped(target_server(cache, progress, soc.server_arch), cache)


def _kernel(soc, cache, progress):
    """(kernel image, release, modules holder, device tree or None) of ``soc``."""
    if soc.name == "zynq7000":
        kernel = zynq_kernel.build(cache, progress)
        tree = device_trees.patched(soc.name, kernel.device_tree, cache)
        return kernel.image, kernel.release, kernel, tree
    kernel = packages.kernel(cache, soc.modules)
    tree = None
    if soc.name == "zynqmp":
        tree = device_trees.patched(soc.name, kernel.device_tree(ZYNQMP_DEVICE_TREE), cache)
    return kernel.image, kernel.release, kernel, tree


def build(cache=None, progress=_no_progress, soc=socs.DEFAULT):
    """Builds (or finds in the cache) everything the emulated ``soc`` boots."""
    soc = socs.get(soc)
    cache = (pathlib.Path(cache) if cache else cache_dir()).absolute()
    cache.mkdir(parents=True, exist_ok=True)
    server = _server(soc, cache, progress)
    progress(f"fetching Debian's {soc.debian_arch} busybox and the kernel")
    busybox = packages.busybox(cache, soc.debian_arch)
    image, release, kernel, tree = _kernel(soc, cache, progress)
    entries = ramdisk.plan(server, busybox, kernel, soc.library_dirs,
                           guest_libdir=soc.guest_libdir)
    key = ramdisk.key(entries, release)
    folder = cache / "ramdisks" / key[:16]
    initrd = folder / "initrd.cpio.gz"
    if not initrd.is_file():
        progress("assembling the RAM-disk")
        folder.mkdir(parents=True, exist_ok=True)
        ramdisk.write(entries, initrd)
    return Artifacts(image, initrd, release, key, tree)
