"""What the Yocto tests share: the pinned layer copies, the build user and kas.

The offline tests need ``scripts/install-yocto-deps.sh`` (run by
``scripts/test.sh``): kas in a virtual environment every user can read, and,
when the tests run as root, the unprivileged user bitbake runs as. Anything
missing fails the test, loudly.
"""

import os
import pwd
import shutil
from pathlib import Path

import pytest

from shared_data import SHARED

REPO = Path(__file__).resolve().parents[1]
YOCTO = SHARED / "yocto"
LAYER_REPOS = {"poky": "poky.git", "meta-openembedded": "meta-openembedded.git",
               "meta-arm": "meta-arm.git", "meta-xilinx": "meta-xilinx.git"}
KAS = os.environ.get("PYNQ_REMOTE_KAS", "/opt/pynq-remote-yocto/kas/bin/kas")
BUILD_USER = os.environ.get("PYNQ_REMOTE_BUILD_USER", "pynq-yocto")


def require_yocto_setup():
    """Fails with what is missing and how to get it."""
    for repo in LAYER_REPOS.values():
        if not (YOCTO / repo).is_dir():
            pytest.fail(f"pinned layer repository missing: {YOCTO / repo} (it lives in "
                        f"shared/yocto beside the repository, or set PYNQ_REMOTE_SHARED)")
    if not os.access(KAS, os.X_OK):
        pytest.fail(f"no kas at {KAS}: run scripts/install-yocto-deps.sh "
                    f"(or set PYNQ_REMOTE_KAS)")
    if os.geteuid() == 0:
        try:
            pwd.getpwnam(BUILD_USER)
        except KeyError:
            pytest.fail(f"no build user {BUILD_USER}: run scripts/install-yocto-deps.sh")
    for tool in ("gawk", "chrpath", "diffstat", "cpio", "git"):
        if shutil.which(tool) is None:
            pytest.fail(f"host tool {tool} missing: run scripts/install-yocto-deps.sh")


def as_user():
    """The --as-user value: the build user when the tests run as root."""
    return BUILD_USER if os.geteuid() == 0 else None


def offline_mixin(path):
    """Writes the kas file that points every layer repository at its local copy."""
    repos = "".join(f"  {name}:\n    url: {YOCTO / repo}\n"
                    for name, repo in LAYER_REPOS.items())
    path.write_text(
        "# Written by the tests: the pinned layers from shared/yocto, no network.\n"
        "header:\n  version: 16\n"
        f"repos:\n{repos}"
        "local_conf_header:\n"
        "  offline: |\n"
        "    BB_NO_NETWORK = \"1\"\n"
        "    INHERIT:remove = \"uninative\"\n")
    return path
