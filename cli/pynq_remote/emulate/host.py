"""What the emulated target needs on this machine, and one clear error
naming the Debian packages that are missing."""

import os
import shutil
import subprocess

from ..errors import PynqRemoteUserError

INSTALL_SCRIPT = "scripts/install-emulate-deps.sh"
ARM64_LIBDIR = "/usr/lib/aarch64-linux-gnu"

# (what is looked for, the Debian package that has it)
BOOT_TOOLS = [("qemu-system-aarch64", "qemu-system-arm")]
PACKAGE_TOOLS = [("apt-get", "apt"), ("dpkg-deb", "dpkg")]
BUILD_TOOLS = [
    ("cmake", "cmake"),
    ("protoc", "protobuf-compiler"),
    ("grpc_cpp_plugin", "protobuf-compiler-grpc"),
    ("aarch64-linux-gnu-g++", "g++-aarch64-linux-gnu"),
    ("aarch64-linux-gnu-pkg-config", "pkgconf:arm64"),
]
BUILD_FILES = [
    (f"{ARM64_LIBDIR}/pkgconfig/grpc++.pc", "libgrpc++-dev:arm64"),
    (f"{ARM64_LIBDIR}/pkgconfig/protobuf.pc", "libprotobuf-dev:arm64"),
    (f"{ARM64_LIBDIR}/pkgconfig/libcrypto.pc", "libssl-dev:arm64"),
]

class MissingHostPackages(PynqRemoteUserError):
    """Tools or files the emulated target needs are not on this machine."""

    def __init__(self, packages, what):
        self.packages = tuple(packages)
        super().__init__(
            f"{what} needs Debian packages that are missing: {' '.join(self.packages)}"
            f" (install them with apt-get after `dpkg --add-architecture arm64`, "
            f"or run {INSTALL_SCRIPT})")


class Arm64ListsMissing(PynqRemoteUserError):
    """apt knows no arm64 packages, so the kernel and busybox cannot be fetched."""


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
            f"apt has no {package}: enable arm64 packages with `dpkg "
            f"--add-architecture arm64 && apt-get update` (or run {INSTALL_SCRIPT})")
