"""Checks that this machine can run kas and bitbake before a build starts.

Each failed check raises ``HostNotReady`` with one line naming what is
missing and how to get it; ``scripts/install-yocto-deps.sh`` installs all of
it on Debian and Ubuntu.
"""

import dataclasses
import os
import pwd
import shutil
import subprocess
import sys
from pathlib import Path

from ..errors import PynqRemoteUserError

INSTALL_SCRIPT = "scripts/install-yocto-deps.sh"

# The commands bitbake's host sanity check and a scarthgap build need beyond
# a base system, with the Debian package of each.
HOST_TOOLS = {
    "gawk": "gawk", "wget": "wget", "git": "git", "diffstat": "diffstat",
    "unzip": "unzip", "makeinfo": "texinfo", "gcc": "gcc", "g++": "g++",
    "make": "make", "chrpath": "chrpath", "socat": "socat", "cpio": "cpio",
    "python3": "python3", "xz": "xz-utils", "zstd": "zstd", "lz4": "lz4",
    "file": "file", "bzip2": "bzip2", "patch": "patch",
}

# Free space asked for under the build directory: what a build of
# pynq-remote-image and its toolchain takes with rm_work, and what kas and a
# parse take.
BUILD_FREE_BYTES = 50 * 2**30
DRY_RUN_FREE_BYTES = 5 * 2**30

# PATH for kas when it runs as another user: the system's tools only (the
# caller's PATH may hold programs that user cannot read).
SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


class HostNotReady(PynqRemoteUserError):
    """This machine lacks something kas or bitbake needs."""


@dataclasses.dataclass(frozen=True)
class Host:
    """How kas runs here: the program, and the user it runs as (None: us)."""

    kas: str
    user: str = None
    home: str = None

    def command(self, *args):
        prefix = ["runuser", "-u", self.user, "--"] if self.user else []
        return [*prefix, self.kas, *args]

    def environment(self, extra):
        """The environment kas starts with: ours, or a clean one for another user."""
        if not self.user:
            return {**os.environ, **extra}
        keep = {key: value for key, value in os.environ.items()
                if key in ("TERM", "http_proxy", "https_proxy", "no_proxy", "TZ")
                or key.startswith(("KAS_", "BB_"))
                or key in ("DL_DIR", "SSTATE_DIR", "SSTATE_MIRRORS")}
        path = f"{Path(self.kas).parent}:{SYSTEM_PATH}"
        return {**keep, "HOME": self.home, "USER": self.user, "PATH": path,
                "LANG": "en_US.UTF-8", **extra}


def find_kas():
    """``$PYNQ_REMOTE_KAS``, else ``kas`` on PATH, else the ``kas`` installed
    beside this Python (a virtual environment used without activating it),
    else None."""
    configured = os.environ.get("PYNQ_REMOTE_KAS")
    if configured:
        return configured if os.access(configured, os.X_OK) else None
    return shutil.which("kas") or shutil.which("kas", path=str(Path(sys.executable).parent))


def check_host(out_dir, dry_run=False, as_user=None):
    """Returns the ``Host`` to run kas with, or raises ``HostNotReady``."""
    kas = find_kas()
    if kas is None:
        where = os.environ.get("PYNQ_REMOTE_KAS")
        raise HostNotReady(
            (f"PYNQ_REMOTE_KAS={where} is not an executable kas" if where else
             "kas is not installed") +
            f": pip install kas==5.5, or run {INSTALL_SCRIPT}")
    host = _check_user(kas, as_user)
    _check_locale()
    _check_tools(host)
    _check_disk(out_dir, DRY_RUN_FREE_BYTES if dry_run else BUILD_FREE_BYTES)
    if host.user:
        _check_runs_as(host)
    return host


def _check_user(kas, as_user):
    if as_user:
        if os.geteuid() != 0:
            raise HostNotReady("--as-user needs root (it runs kas through runuser); "
                               "as a normal user, leave it out")
        try:
            entry = pwd.getpwnam(as_user)
        except KeyError:
            raise HostNotReady(f"no user '{as_user}' for --as-user: create one with "
                               f"useradd -m {as_user}, or run {INSTALL_SCRIPT}") from None
        if entry.pw_uid == 0:
            raise HostNotReady(f"--as-user {as_user} is root, and bitbake refuses "
                               f"to run as root: name an unprivileged user")
        return Host(kas, as_user, entry.pw_dir)
    if os.geteuid() == 0:
        raise HostNotReady("bitbake refuses to run as root: run pynq-remote as a normal "
                           "user, or pass --as-user NAME to run kas as that user "
                           f"({INSTALL_SCRIPT} creates the user pynq-yocto)")
    return Host(kas)


def _check_locale():
    try:
        names = subprocess.run(["locale", "-a"], capture_output=True, text=True,
                               check=False).stdout.split()
    except FileNotFoundError:
        names = []
    if not any(name.lower().replace("-", "") == "en_us.utf8" for name in names):
        raise HostNotReady("the en_US.UTF-8 locale is missing (kas runs bitbake in it): "
                           "enable it in /etc/locale.gen and run locale-gen "
                           "(Debian: package locales)")


def _check_tools(host):
    path = f"{Path(host.kas).parent}:{SYSTEM_PATH}" if host.user else None
    missing = [tool for tool in HOST_TOOLS if shutil.which(tool, path=path) is None]
    if missing:
        packages = sorted({HOST_TOOLS[tool] for tool in missing})
        raise HostNotReady(f"host tools that Yocto needs are missing: {', '.join(missing)} "
                           f"(Debian/Ubuntu: sudo apt-get install {' '.join(packages)})")


def _check_disk(out_dir, needed):
    existing = Path(out_dir).absolute()
    while not existing.exists():
        existing = existing.parent
    free = shutil.disk_usage(existing).free
    if free < needed:
        raise HostNotReady(f"{free / 2**30:.1f} GiB free under {existing}, a build needs "
                           f"{needed / 2**30:.0f} GiB: free some space or choose --out "
                           f"on a larger disk")


def _check_runs_as(host):
    result = subprocess.run(host.command("--version"), capture_output=True, text=True,
                            env=host.environment({}), check=False)
    if result.returncode != 0:
        detail = (result.stderr.strip().splitlines() or ["no output"])[-1]
        raise HostNotReady(f"{host.kas} does not run as user {host.user} ({detail}): "
                           f"install kas where that user can read it, e.g. with "
                           f"{INSTALL_SCRIPT}, and set PYNQ_REMOTE_KAS")
