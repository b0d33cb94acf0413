"""Builds pynq-remote-server from the sources this installation carries, once
per content of those sources, into the user's cache folder
(``~/.cache/pynq-remote/server/<hash>/``).

A wheel cannot ship a server binary that runs everywhere: it links the
distribution's own gRPC (docs/install.md says why). So the first
``pynq-remote serve --sim`` of an installation builds it here, with the
distribution's compiler and gRPC, and every later one finds it in the cache.
"""

import hashlib
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import PynqRemoteUserError
from . import locate

CACHE_ENV = "XDG_CACHE_HOME"
# (program looked for on PATH, the Debian package that has it)
BUILD_TOOLS = [
    ("cmake", "cmake"),
    ("make", "make"),
    ("c++", "g++"),
    ("pkg-config", "pkg-config"),
    ("protoc", "protobuf-compiler"),
    ("grpc_cpp_plugin", "protobuf-compiler-grpc"),
]
# (pkg-config module, the Debian package that has it)
BUILD_MODULES = [
    ("grpc++", "libgrpc++-dev"),
    ("protobuf", "libprotobuf-dev"),
    ("libcrypto", "libssl-dev"),
    ("avahi-core", "libavahi-core-dev"),
]
PACKAGED_SIM_CONFIG = "/usr/share/pynq-remote/sim-board.textproto"
SKIPPED_DIRS = {"__pycache__", "tests", "fuzz", "node_modules", "releases"}


class MissingBuildPackages(PynqRemoteUserError):
    """Tools or libraries the server's build needs are not installed."""

    def __init__(self, packages):
        self.packages = tuple(packages)
        names = " ".join(self.packages)
        super().__init__(f"building pynq-remote-server needs Debian packages that are "
                         f"missing: {names} (install them: sudo apt-get install {names})")


class BuildFailed(PynqRemoteUserError):
    """CMake or the compiler stopped with an error; the message names the log."""


def cache_dir():
    """``$XDG_CACHE_HOME/pynq-remote``, else ``~/.cache/pynq-remote``."""
    base = os.environ.get(CACHE_ENV) or Path.home() / ".cache"
    return Path(base) / "pynq-remote"


def missing_packages(tools=BUILD_TOOLS, modules=BUILD_MODULES):
    """The Debian packages of ``tools`` and pkg-config ``modules`` that are absent."""
    missing = [package for tool, package in tools if shutil.which(tool) is None]
    for module, package in modules:
        if shutil.which("pkg-config") is None or subprocess.run(
                ["pkg-config", "--exists", module], check=False).returncode != 0:
            missing.append(package)
    return list(dict.fromkeys(missing))


def sources_key(*extra):
    """A hash of every file the server is built from, and of ``extra`` strings."""
    digest = hashlib.sha256()
    for top in (locate.server_source_dir(), locate.proto_dir()):
        for path in sorted(_source_files(top)):
            digest.update(str(path.relative_to(top.parent)).encode() + b"\0")
            digest.update(path.read_bytes())
    for item in extra:
        digest.update(item.encode() + b"\0")
    return digest.hexdigest()[:16]


def _source_files(top):
    for folder, dirs, files in os.walk(top):
        dirs[:] = [d for d in dirs if d not in SKIPPED_DIRS and not d.startswith("build")]
        for name in files:
            yield Path(folder) / name


def _no_progress(_message):
    pass


def host_server(progress=_no_progress):
    """This machine's server, built from the installed sources on first use."""
    # Configured as the amd64 .deb is (scripts/build-packages.sh), so this
    # build folder can make it; the sim board is always given by --config.
    options = ["-DCMAKE_BUILD_TYPE=Release", "-DPYNQ_REMOTE_BUILD_TESTS=OFF",
               "-DPYNQ_REMOTE_DEB=ON",
               f"-DPYNQ_REMOTE_DEFAULT_SIM_CONFIG={PACKAGED_SIM_CONFIG}"]
    folder = cache_dir() / "server" / sources_key(*options)
    binary = folder / "pynq-remote-server"
    if binary.is_file():
        return binary
    missing = missing_packages()
    if missing:
        raise MissingBuildPackages(missing)
    return build(folder, options, "building pynq-remote-server (once; a few minutes)",
                 progress)


def build(folder, options, title, progress=_no_progress):
    """Configures and builds the server in ``folder/build``; copies the binary
    to ``folder/pynq-remote-server`` last, so a half-made build is never found."""
    folder.mkdir(parents=True, exist_ok=True)
    log_path = folder / "build.log"
    build_dir = folder / "build"
    configure = ["cmake", "-S", str(locate.server_source_dir()), "-B", str(build_dir),
                 f"-DPYNQ_REMOTE_PROTO_DIR={locate.proto_dir()}", *options]
    compile_ = ["cmake", "--build", str(build_dir), "-j", str(os.cpu_count() or 1),
                "--target", "pynq-remote-server"]
    progress(title)
    with open(log_path, "w", encoding="utf-8") as log:
        for command in (configure, compile_):
            log.write(f"$ {' '.join(command)}\n")
            log.flush()
            code = _run(command, log, title, progress)
            if code != 0:
                raise BuildFailed(f"{title} failed (exit code {code}); see {log_path}")
    target = folder / "pynq-remote-server"
    with tempfile.TemporaryDirectory(dir=folder) as staging:
        partial = Path(staging) / target.name
        shutil.copy2(build_dir / target.name, partial)
        partial.replace(target)
    return target


def _run(command, log, title, progress):
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               stdin=subprocess.DEVNULL, text=True, errors="replace")
    reported = None
    for line in process.stdout:
        log.write(line)
        percent = re.match(r"\[\s*(\d+)%\]", line)
        # A line per tenth, so a CI log stays short.
        if percent and int(percent.group(1)) // 10 != reported:
            reported = int(percent.group(1)) // 10
            progress(f"{title}: {percent.group(1)}%")
    return process.wait()
