"""The Zynq-7000 kernel of ``--soc zynq7000``, built once per machine.

Debian's armhf kernels cannot boot QEMU's ``xilinx-zynq-a9`` (no
``ARCH_ZYNQ``, no PS UART, no Zynq device trees), so the kernel is built
from Debian's ``linux-source-6.1`` package: ``allnoconfig`` plus the
fragment ``kernel/zynq7000.config``, then ``zImage`` and ``zynq-zc702.dtb``.
One patch of this project's (``kernel/zynq7000-*.patch``) gives the FPGA
manager linux-xlnx's ``firmware``/``flags`` load interface, which mainline
lacks, so that a load reaches the kernel's Zynq driver. The result is
cached under a key made of the fragment's and the patches' bytes and the
source package's version. The patched source is unpacked once per key of
version and patches into the cache (about 1.4 GB) and built out of tree
(``O=``) in a scratch folder that is removed afterwards.
"""

import dataclasses
import hashlib
import os
import pathlib
import re
import shutil
import subprocess
import tempfile
import time

from . import cache_folder, host
from .failures import BuildFailed

KERNEL_FILES = pathlib.Path(__file__).resolve().parent / "kernel"
FRAGMENT = KERNEL_FILES / "zynq7000.config"
PATCHES = sorted(KERNEL_FILES.glob("zynq7000-*.patch"))
SOURCE_PACKAGE = "linux-source-6.1"
SOURCE_TARBALL = pathlib.Path("/usr/src/linux-source-6.1.tar.xz")
DEVICE_TREE = "zynq-zc702.dtb"
CROSS_COMPILE = "arm-linux-gnueabihf-"
# Format of what this module writes: part of the cache key.
FORMAT = 1

TOOLS = [
    ("tar", "tar"), ("xz", "xz-utils"), ("patch", "patch"), ("make", "make"), ("bc", "bc"),
    ("flex", "flex"), ("bison", "bison"),
    (f"{CROSS_COMPILE}gcc", "gcc-arm-linux-gnueabihf"), ("dtc", "device-tree-compiler"),
]
FILES = [(str(SOURCE_TARBALL), SOURCE_PACKAGE),
         ("/usr/include/openssl/ssl.h", "libssl-dev")]


@dataclasses.dataclass(frozen=True)
class ZynqKernel:
    """A built kernel: ``zImage``, the board's device tree, the release."""

    folder: pathlib.Path

    @property
    def image(self):
        return self.folder / "zImage"

    @property
    def device_tree(self):
        return self.folder / DEVICE_TREE

    @property
    def release(self):
        return (self.folder / "release").read_text().strip()

    @property
    def config(self):
        return self.folder / "config"

    @property
    def modules(self):
        """What the RAM-disk loads: nothing, every driver is built in."""
        return []


def source_version():
    """The installed version of Debian's ``linux-source-6.1``."""
    result = subprocess.run(["dpkg-query", "-W", "-f=${Version}", SOURCE_PACKAGE],
                            capture_output=True, text=True, check=False)
    if result.returncode != 0 or not result.stdout.strip():
        host.require("building the Zynq-7000 kernel", files=FILES)
        raise BuildFailed(f"dpkg does not know {SOURCE_PACKAGE}: install it with apt-get")
    return result.stdout.strip()


def cache_key(fragment=FRAGMENT, version=None, patches=PATCHES):
    """A hex sha256 of the fragment, the patches, the source package's
    version and ``FORMAT``."""
    digest = hashlib.sha256(f"pynq-remote zynq kernel format {FORMAT}\n".encode())
    digest.update(pathlib.Path(fragment).read_bytes())
    digest.update(_source_key(version, patches).encode())
    return digest.hexdigest()


def _source_key(version=None, patches=PATCHES):
    """The source package's version and a hash of the patches applied to it."""
    digest = hashlib.sha256()
    for patch in patches:
        digest.update(patch.name.encode() + b"\0" + patch.read_bytes())
    return f"{version or source_version()}-{digest.hexdigest()[:12]}"


def wanted_options(fragment=FRAGMENT):
    """``{"CONFIG_X": "y", ...}`` from the fragment's lines."""
    options = {}
    for line in pathlib.Path(fragment).read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            options[name] = value
    return options


def missing_options(config_text, wanted):
    """The options of ``wanted`` that ``config_text`` (a .config) does not set as asked."""
    have = {}
    for line in config_text.splitlines():
        match = re.match(r"(CONFIG_\w+)=(.*)", line)
        if match:
            have[match.group(1)] = match.group(2)
    return sorted(name for name, value in wanted.items() if have.get(name) != value)


def build(cache, progress=lambda _message: None, jobs=None):
    """The cached kernel, built when its key is new (minutes)."""
    host.require("building the Zynq-7000 kernel", tools=TOOLS, files=FILES)
    key = cache_key()
    folder = pathlib.Path(cache) / "zynq7000-kernel" / key[:16]
    if (folder / "release").is_file():
        return ZynqKernel(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    log = pathlib.Path(cache) / "logs" / "zynq7000-kernel.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    source = _source(cache, progress)
    with tempfile.TemporaryDirectory(dir=folder.parent, prefix="build-") as scratch:
        build_dir = pathlib.Path(scratch) / "build"
        result = pathlib.Path(scratch) / "result"
        result.mkdir()
        with open(log, "w") as out:
            _configure(source, build_dir, out, progress)
            _compile(source, build_dir, out, progress, jobs or os.cpu_count() or 1)
        shutil.copy2(build_dir / "arch/arm/boot/zImage", result / "zImage")
        shutil.copy2(build_dir / "arch/arm/boot/dts" / DEVICE_TREE, result / DEVICE_TREE)
        shutil.copy2(build_dir / ".config", result / "config")
        release = (build_dir / "include/config/kernel.release").read_text().strip()
        (result / "release").write_text(release + "\n")
        cache_folder.publish(result, folder, "release")
    return ZynqKernel(folder)


def _source(cache, progress):
    """The patched kernel source, unpacked once per version and patches into the cache."""
    folder = pathlib.Path(cache) / "linux-source" / _source_key()
    if (folder / "Makefile").is_file():
        return folder
    progress(f"unpacking {SOURCE_TARBALL.name} (once per version of {SOURCE_PACKAGE})")
    folder.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder.parent, prefix="unpack-") as staging:
        result = subprocess.run(["tar", "-xf", str(SOURCE_TARBALL), "-C", staging,
                                 "--no-same-owner"],
                                capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise BuildFailed(f"unpacking {SOURCE_TARBALL} failed: {result.stderr.strip()}")
        roots = [p for p in pathlib.Path(staging).iterdir() if p.is_dir()]
        if len(roots) != 1 or not (roots[0] / "Makefile").is_file():
            raise BuildFailed(f"{SOURCE_TARBALL} does not hold one kernel source folder")
        for patch in PATCHES:
            applied = subprocess.run(["patch", "-p1", "--forward", "-d", str(roots[0]),
                                      "-i", str(patch)],
                                     capture_output=True, text=True, check=False)
            if applied.returncode != 0:
                raise BuildFailed(f"{patch.name} does not apply to {SOURCE_PACKAGE} "
                                  f"{source_version()}: {applied.stdout.strip()}")
        cache_folder.publish(roots[0], folder, "Makefile")
    return folder


def _make(source, build_dir, *targets, jobs=1, env=None):
    command = ["make", "-C", str(source), f"O={build_dir}", f"-j{jobs}", "ARCH=arm",
               f"CROSS_COMPILE={CROSS_COMPILE}",
               "KBUILD_BUILD_USER=pynq-remote", "KBUILD_BUILD_HOST=emulate",
               *targets]
    return subprocess.Popen(command, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                            text=True, errors="replace", env={**os.environ, **(env or {})})


def _run(process, out, log_name, what, on_line=None):
    for line in process.stdout:
        out.write(line)
        if on_line:
            on_line(line)
    code = process.wait()
    if code != 0:
        out.flush()
        raise BuildFailed(f"{what} failed (exit code {code}); see {log_name}")


def _configure(source, build_dir, out, progress):
    progress("configuring the Zynq-7000 kernel (allnoconfig + zynq7000.config)")
    _run(_make(source, build_dir, "allnoconfig",
               env={"KCONFIG_ALLCONFIG": str(FRAGMENT)}),
         out, out.name, "make allnoconfig")
    missing = missing_options((build_dir / ".config").read_text(), wanted_options())
    if missing:
        raise BuildFailed(f"the kernel configuration does not take {', '.join(missing)} "
                          f"from {FRAGMENT.name} (a dependency is missing from it)")


def _compile(source, build_dir, out, progress, jobs):
    started = time.monotonic()
    step = f"building the Zynq-7000 kernel at -j{jobs} (once per machine, minutes)"
    progress(step)
    compiled = 0

    def count(line):
        nonlocal compiled
        if line.lstrip().startswith("CC "):
            compiled += 1
            if compiled % 25 == 0:
                minutes = (time.monotonic() - started) / 60
                progress(f"{step}: {compiled} files compiled, {minutes:.1f} min")

    _run(_make(source, build_dir, "zImage", DEVICE_TREE, jobs=jobs), out, out.name,
         "building the Zynq-7000 kernel", count)
