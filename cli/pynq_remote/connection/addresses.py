"""Device addresses: ``host[:port]`` strings, names of boards announced over
mDNS, and the ``PYNQ_REMOTE_DEVICES`` default."""

import dataclasses
import os

from ..errors import PynqRemoteUserError
from . import discovery

DEFAULT_PORT = 7967
DEVICES_ENV = "PYNQ_REMOTE_DEVICES"


def parse_address(address):
    """Returns ``host:port`` for ``host``, ``host:port``, ``[v6]`` or ``[v6]:port``."""
    host, port = split_address(address)
    return f"{host}:{port or DEFAULT_PORT}"


@dataclasses.dataclass(frozen=True)
class Target:
    """Where a ``-d`` value leads."""

    address: str  # host:port to connect to
    name: str = ""  # the mDNS name it was given as ("zcu104@lab-3", "lab-3.local")
    host_name: str = ""  # the board's announced host name ("lab-3.local")
    tls: bool = False  # whether the board announces that it requires TLS


def resolve_target(address):
    """Like ``parse_address``, but a board's mDNS name (``lab-3.local``, or an
    instance name such as ``zcu104@lab-3``) leads to the address it announces;
    a port given with the name wins over the announced one."""
    host, port = split_address(address)
    if not discovery.is_discovery_name(host):
        return Target(f"{host}:{port or DEFAULT_PORT}")
    board = discovery.resolve(host)
    ip = board.address.rpartition(":")[0]
    return Target(f"{ip}:{port or board.port}", name=host, host_name=board.host,
                  tls=board.tls)


def resolve_address(address):
    """The ``host:port`` of ``resolve_target``."""
    return resolve_target(address).address


def split_address(address):
    """``(host, port)`` of ``host[:port]``; the port is ``""`` when not given."""
    address = address.strip()
    if not address:
        raise PynqRemoteUserError("empty device address")
    if address.startswith("["):
        host, sep, rest = address[1:].partition("]")
        if not sep or (rest and not rest.startswith(":")):
            raise PynqRemoteUserError(f"bad device address {address!r}")
        host = f"[{host}]"
        port = rest[1:]
    elif address.count(":") == 1:
        host, port = address.split(":")
    else:
        host, port = address, ""
    if port and (not port.isdigit() or not 0 < int(port) < 65536):
        raise PynqRemoteUserError(f"bad port in device address {address!r}")
    return host, port


def default_addresses():
    """Every device of ``PYNQ_REMOTE_DEVICES`` (comma-separated, as in PYNQ.remote)."""
    devices = [d for d in os.environ.get(DEVICES_ENV, "").split(",") if d.strip()]
    if not devices:
        raise PynqRemoteUserError(
            f"no device given: pass -d HOST[:PORT] or set {DEVICES_ENV}")
    return [parse_address(device) for device in devices]


def default_address():
    """The first device of ``PYNQ_REMOTE_DEVICES``."""
    return default_addresses()[0]
