"""Where the kas files, the layer, the server's sources, the protos and the
sim board configuration are.

A wheel carries them in the package's ``share/`` folder (setup.py puts them
there); in a checkout installed with ``pip install -e .`` they are at the top
of the checkout. The same relative layout holds in both, so the layer finds
the server's sources beside it either way.
"""

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parents[1]
INSTALLED_ROOT = PACKAGE_DIR / "share"
CHECKOUT_ROOT = PACKAGE_DIR.parents[1]


def is_installed():
    """True when running from a wheel's files rather than a checkout."""
    return (INSTALLED_ROOT / "kas").is_dir()


def root():
    """The folder holding ``kas/``, ``meta-pynq-remote/``, ``target-server/``, ``proto/``."""
    return INSTALLED_ROOT if is_installed() else CHECKOUT_ROOT


def kas_dir():
    return root() / "kas"


def server_source_dir():
    return root() / "target-server"


def proto_dir():
    return root() / "proto"


def extensions_dir():
    return root() / "extensions"


def sim_config():
    """The sim board's description the server is built with."""
    return server_source_dir() / "config" / "sim-board.textproto"


def version():
    """The one version of pynq-remote: the wheel, the server and the .deb share it."""
    return (server_source_dir() / "VERSION").read_text().strip()
