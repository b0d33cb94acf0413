"""Credentials for device channels, from the config file and the environment.

The config file is ``$PYNQ_REMOTE_CONFIG``, else
``~/.config/pynq-remote/config.yaml``::

    identity:                 # this client's certificate (pynq-remote pki init)
      ca: ~/.config/pynq-remote/pki/ca.pem
      cert: ~/.config/pynq-remote/pki/client.pem
      key: ~/.config/pynq-remote/pki/client.key
    devices:                  # boards reached with TLS (pynq-remote pair)
      "192.168.1.10:7967": {tls: true}
      "lab-board:7967": {tls: true, token_file: ~/.config/pynq-remote/lab.token}

Environment variables win over the file, for every device:
``PYNQ_REMOTE_TLS=1`` (TLS with the identity), ``PYNQ_REMOTE_CA``,
``PYNQ_REMOTE_CERT``, ``PYNQ_REMOTE_KEY`` (PEM files) and
``PYNQ_REMOTE_TOKEN`` (a bearer token).
"""

import dataclasses
import os
from pathlib import Path
from typing import Optional

import yaml

from ..errors import PynqRemoteUserError

CONFIG_ENV = "PYNQ_REMOTE_CONFIG"


@dataclasses.dataclass(frozen=True)
class Credentials:
    """What a channel to one device presents. ``repr`` hides the secrets."""

    tls: bool = False
    ca: Optional[bytes] = dataclasses.field(default=None, repr=False)
    cert: Optional[bytes] = dataclasses.field(default=None, repr=False)
    key: Optional[bytes] = dataclasses.field(default=None, repr=False)
    token: Optional[str] = dataclasses.field(default=None, repr=False)
    # The name the board's certificate carries when the channel's address is
    # not in it: a board paired by its mDNS name, whose IP address may change.
    server_name: Optional[str] = None


def config_dir():
    base = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(base) / "pynq-remote"


def config_path():
    return Path(os.environ.get(CONFIG_ENV) or config_dir() / "config.yaml")


def load_config(path=None):
    """The config file as a dict; ``{}`` when there is none."""
    path = Path(path) if path else config_path()
    try:
        config = yaml.safe_load(path.read_text()) or {}
    except FileNotFoundError:
        return {}
    except (OSError, yaml.YAMLError) as error:
        raise PynqRemoteUserError(f"{path}: cannot read the config: {error}") from None
    if not isinstance(config, dict):
        raise PynqRemoteUserError(f"{path}: the config must be a mapping")
    return config


def save_config(config, path=None):
    path = Path(path) if path else config_path()
    make_private_dir(path.parent)
    write_private(path, yaml.safe_dump(config, sort_keys=False).encode())


def make_private_dir(path):
    """Makes the folder ``path`` (and its parents) and leaves it open to its
    owner only: it holds keys, tokens or the config that points at them."""
    path = Path(path)
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.chmod(0o700)


def write_private(path, data):
    """Writes ``data`` readable by the owner only, never widening an existing
    file; a missing folder is made open to the owner only."""
    path = Path(path)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        os.fchmod(file.fileno(), 0o600)
        file.write(data)


def read_file(path, what):
    """The bytes of a credential file, or an error naming it."""
    path = Path(path).expanduser()
    try:
        return path.read_bytes()
    except OSError as error:
        raise PynqRemoteUserError(f"{what} {path}: cannot read: {error.strerror}") from None


def identity_files(config):
    """Paths of this client's ``ca``, ``cert`` and ``key`` (None when unset):
    the environment's, else those of ``config``'s identity."""
    identity = config.get("identity") or {}
    return {name: os.environ.get(f"PYNQ_REMOTE_{name.upper()}") or identity.get(name)
            for name in ("ca", "cert", "key")}


def credentials_for(address, name="", announced_tls=False):
    """The ``Credentials`` for ``host:port`` from the config file and environment.

    A board found over mDNS also has its ``name``, under which pairing by
    that name recorded it, and says whether it requires TLS.
    """
    config = load_config()
    devices = config.get("devices") or {}
    device = (devices.get(name) if name else None) or devices.get(address) or {}
    tls = (os.environ.get("PYNQ_REMOTE_TLS", "") == "1" or bool(device.get("tls"))
           or announced_tls)
    token = os.environ.get("PYNQ_REMOTE_TOKEN")
    if token is None and device.get("token_file"):
        token = read_file(device["token_file"], "token file").decode().strip()
    if not tls:
        return Credentials(token=token)
    files = identity_files(config)
    if not files["ca"]:
        raise PynqRemoteUserError(
            f"TLS to {address} needs the CA that signed its certificate: run "
            f"'pynq-remote pki init' or set PYNQ_REMOTE_CA")
    pems = {name: read_file(path, f"TLS {name}") if path else None
            for name, path in files.items()}
    return Credentials(tls=True, token=token, server_name=device.get("server_name"), **pems)
