"""The Debian packages the RAM-disk is made from (arm64, and armhf busybox
for the Zynq-7000), pinned, fetched with ``apt-get download`` into the
cache and unpacked there (never installed)."""

import pathlib
import shutil
import subprocess
import tempfile

from ..errors import PynqRemoteUserError
from . import cache_folder, elf, host

ARCH = "arm64"  # the kernel's; busybox comes for the SoC's architecture
# Pins: change a version here when Debian drops it from the archive (the
# error then says so). The kernel's ABI is part of its package name.
KERNEL = ("linux-image-6.1.0-50-arm64", "6.1.176-1")
BUSYBOX = ("busybox-static", "1:1.35.0-4+deb12u1+b1")
# What user-mode networking needs on -M virt beyond the kernel image.
NETWORK_MODULES = ("virtio_pci", "virtio_net")
# Where the kernel package keeps the ZynqMP device trees.
XILINX_DEVICE_TREES = "usr/lib/linux-image-{release}/xilinx"


class PackageError(PynqRemoteUserError):
    """A pinned package could not be fetched or does not hold what it should."""


def _run(command, what, cwd=None):
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True,
                            check=False)
    if result.returncode != 0:
        lines = (result.stderr or result.stdout).strip().splitlines()
        detail = lines[-1] if lines else f"exit code {result.returncode}"
        raise PackageError(f"{what} failed: {detail}")
    return result.stdout


def fetch_deb(cache_dir, name, version, arch=ARCH):
    """The path of ``name:arch`` at ``version`` in ``cache_dir/debs``, downloaded once."""
    debs = pathlib.Path(cache_dir) / "debs"
    debs.mkdir(parents=True, exist_ok=True)
    target = debs / f"{name}_{version.split(':')[-1]}_{arch}.deb"
    if target.is_file():
        return target
    host.require("downloading Debian packages", tools=host.PACKAGE_TOOLS)
    host.require_arm64_lists(f"{name}:{arch}")
    with tempfile.TemporaryDirectory(dir=debs) as staging:
        _run(["apt-get", "download", "-q", f"{name}:{arch}={version}"],
             f"apt-get download {name}:{arch}={version} (is that version still in "
             f"the archive? `apt-cache policy {name}:{arch}` tells; the pins are in "
             f"{__name__})", cwd=staging)
        downloaded = list(pathlib.Path(staging).glob("*.deb"))
        if len(downloaded) != 1:
            raise PackageError(f"apt-get download {name}:{arch} left {len(downloaded)} files")
        return pathlib.Path(shutil.move(str(downloaded[0]), str(target)))


def unpack(deb, into):
    """Unpacks ``deb`` into the folder ``into`` with ``dpkg-deb -x``."""
    host.require("unpacking Debian packages", tools=host.PACKAGE_TOOLS)
    _run(["dpkg-deb", "-x", str(deb), str(into)], f"dpkg-deb -x {deb.name}")


def busybox(cache_dir, arch=ARCH):
    """The static busybox binary for ``arch``, unpacked once into the cache."""
    name, version = BUSYBOX
    suffix = "" if arch == ARCH else f"-{arch}"
    target = (pathlib.Path(cache_dir) / f"busybox-{version.replace(':', '_')}{suffix}"
              / "busybox")
    if target.is_file():
        return target
    deb = fetch_deb(cache_dir, name, version, arch)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as staging:
        unpack(deb, staging)
        binary = pathlib.Path(staging) / "bin" / "busybox"
        if elf.read_elf(binary.read_bytes(), str(binary)).interpreter:
            raise PackageError(f"{deb.name}: bin/busybox is not statically linked")
        binary.replace(target)
    return target


class Kernel:
    """A kernel image and the modules the RAM-disk loads, in load order."""

    def __init__(self, folder):
        self.folder = pathlib.Path(folder)
        self.image = self.folder / "vmlinuz"
        self.release = (self.folder / "release").read_text().strip()
        self.modules = [self.folder / "modules" / line
                        for line in (self.folder / "modules.order").read_text().split()]

    def device_tree(self, name):
        """One of the package's Xilinx device trees, e.g. ``zynqmp-zcu102-rev1.0.dtb``."""
        return self.folder / "xilinx" / name


def kernel(cache_dir, modules=NETWORK_MODULES):
    """The pinned kernel and ``modules`` with their dependencies, unpacked once."""
    name, version = KERNEL
    folder = pathlib.Path(cache_dir) / f"kernel-{name}_{version}-{'+'.join(modules)}"
    if (folder / "modules.order").is_file():
        return Kernel(folder)
    deb = fetch_deb(cache_dir, name, version)
    with tempfile.TemporaryDirectory(dir=cache_dir) as staging:
        unpack(deb, staging)
        root = pathlib.Path(staging)
        images = list((root / "boot").glob("vmlinuz-*"))
        trees = list((root / "lib" / "modules").glob("*"))
        if len(images) != 1 or len(trees) != 1:
            raise PackageError(f"{deb.name}: expected one boot/vmlinuz-* and one "
                               "lib/modules/* folder")
        release = trees[0].name
        order = resolve_modules(trees[0], modules)
        partial = root / "result"
        (partial / "modules").mkdir(parents=True)
        shutil.copy2(images[0], partial / "vmlinuz")
        trees_dir = root / XILINX_DEVICE_TREES.format(release=release)
        if trees_dir.is_dir():
            shutil.copytree(trees_dir, partial / "xilinx")
        for relative in order:
            shutil.copy2(trees[0] / relative, partial / "modules" / pathlib.Path(relative).name)
        (partial / "release").write_text(release + "\n")
        (partial / "modules.order").write_text(
            "".join(pathlib.Path(r).name + "\n" for r in order))
        cache_folder.publish(partial, folder, "modules.order")
    return Kernel(folder)


def resolve_modules(tree, wanted):
    """Paths (relative to ``tree``) of ``wanted`` modules and everything they
    depend on (their ``.modinfo`` ``depends``), dependencies first. Modules
    built into the kernel (``modules.builtin``) are left out."""
    tree = pathlib.Path(tree)
    builtin = set()
    if (tree / "modules.builtin").is_file():
        builtin = {_module_name(line) for line in
                   (tree / "modules.builtin").read_text().split()}
    paths = {_module_name(str(p)): p for p in tree.rglob("*.ko")}
    order, done, visiting = [], set(), set()

    def visit(module, wanted_by):
        if module in builtin or module in done:
            return
        if module not in paths:
            raise PackageError(f"kernel module {module} (needed by {wanted_by}) is not "
                               f"in {tree.name}")
        if module in visiting:
            raise PackageError(f"kernel modules depend on each other in a circle at {module}")
        visiting.add(module)
        path = paths[module]
        info = elf.module_info(path.read_bytes(), str(path))
        for dependency in filter(None, info.get("depends", "").split(",")):
            visit(dependency.replace("-", "_"), module)
        visiting.discard(module)
        done.add(module)
        order.append(str(path.relative_to(tree)))

    for module in wanted:
        visit(module.replace("-", "_"), "the RAM-disk")
    return order


def _module_name(path):
    stem = pathlib.PurePosixPath(path).name
    for suffix in (".ko.xz", ".ko.zst", ".ko.gz", ".ko"):
        if stem.endswith(suffix):
            stem = stem[:-len(suffix)]
    return stem.replace("-", "_")
