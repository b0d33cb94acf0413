"""What the emulated target needs on this machine, and one clear error
naming the Debian packages that are missing."""

import os
import shutil
import subprocess

from ..errors import PynqRemoteUserError

INSTALL_SCRIPT = "scripts/install-emulate-deps.sh"
ARM64_LIBDIR = "/usr/lib/aarch64-linux-gnu"
ARMHF_LIBDIR = "/usr/lib/arm-linux-gnueabihf"

# (what is looked for, the Debian package that has it)
BOOT_TOOLS = [("qemu-system-aarch64", "qemu-system-arm")]
BOOT_TOOLS_ARM = [("qemu-system-arm", "qemu-system-arm")]
PACKAGE_TOOLS = [("apt-get", "apt"), ("dpkg-deb", "dpkg")]
_COMMON_BUILD_TOOLS = [
    ("cmake", "cmake"),
    ("protoc", "protobuf-compiler"),
    ("grpc_cpp_plugin", "protobuf-compiler-grpc"),
]
# By the server's architecture, as scripts/cross-build-server.sh names it.
BUILD_TOOLS = {
    "aarch64": _COMMON_BUILD_TOOLS + [
        ("aarch64-linux-gnu-g++", "g++-aarch64-linux-gnu"),
        ("aarch64-linux-gnu-pkg-config", "pkgconf:arm64")],
    "armhf": _COMMON_BUILD_TOOLS + [
        ("arm-linux-gnueabihf-g++", "g++-arm-linux-gnueabihf"),
        ("arm-linux-gnueabihf-pkg-config", "pkgconf:armhf")],
}
BUILD_FILES = {
    arch: [(f"{libdir}/pkgconfig/grpc++.pc", f"libgrpc++-dev:{debian}"),
           (f"{libdir}/pkgconfig/protobuf.pc", f"libprotobuf-dev:{debian}"),
           (f"{libdir}/pkgconfig/libcrypto.pc", f"libssl-dev:{debian}")]
    for arch, libdir, debian in (("aarch64", ARM64_LIBDIR, "arm64"),
                                 ("armhf", ARMHF_LIBDIR, "armhf"))
}

class MissingHostPackages(PynqRemoteUserError):
    """Tools or files the emulated target needs are not on this machine."""

    def __init__(self, packages, what):
        self.packages = tuple(packages)
        super().__init__(
            f"{what} needs Debian packages that are missing: {' '.join(self.packages)}"
            f" (install them with apt-get after `dpkg --add-architecture arm64` "
            f"(armhf for the Zynq-7000), "
            f"or run {INSTALL_SCRIPT})")


class Arm64ListsMissing(PynqRemoteUserError):
    """apt knows no arm64 (or armhf) packages, so the kernel and busybox cannot be fetched."""


def missing_packages(tools=(), files=()):
    """The packages of ``tools`` (programs on PATH) and ``files`` that are absent."""
    missing = [package for tool, package in tools if shutil.which(tool) is None]
    missing += [package for path, package in files if not os.path.exists(path)]
    return list(dict.fromkeys(missing))


def require(what, tools=(), files=()):
    """Raises ``MissingHostPackages`` naming every package ``what`` lacks."""
    missing = missing_packages(tools, files)
    if missing:
        raise MissingHostPackages(missing, what)


def require_arm64_lists(package):
    """Raises ``Arm64ListsMissing`` unless apt has a candidate for ``package``."""
    policy = subprocess.run(["apt-cache", "policy", package], capture_output=True,
                            text=True, check=False).stdout
    if "Candidate:" not in policy or "Candidate: (none)" in policy:
        raise Arm64ListsMissing(
            f"apt has no {package}: enable its architecture with `dpkg "
            f"--add-architecture {package.rpartition(':')[2]} && apt-get update` "
            f"(or run {INSTALL_SCRIPT})")
