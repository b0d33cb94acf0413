"""Boards on the local network, found over mDNS/DNS-SD (``_pynq-remote._tcp``).

A server started with ``--announce on`` (the default for a board serving a
network address) publishes its instance name (``BOARD@HOST`` unless given
with ``--mdns-name``), port and a TXT record: ``board``, ``backend``,
``server`` (version), ``api``, ``design`` (the loaded design, empty for
none) and ``tls`` (``required`` or ``none``). See docs/discovery.md.
"""

import dataclasses
import queue
import re
import time
from typing import Tuple

from ..errors import ConnectionFailed

SERVICE_TYPE = "_pynq-remote._tcp.local."
DEFAULT_TIMEOUT_S = 3.0

# What a DNS host name or an IP address may hold; anything else (the '@' of
# "zcu104@lab", a space) is an instance name.
_HOST_CHARACTERS = re.compile(r"[A-Za-z0-9.\-]+|\[?[0-9A-Fa-f:.%]+\]?")


@dataclasses.dataclass(frozen=True)
class AnnouncedBoard:
    """One board's announcement. ``address`` is ``host:port`` to connect to."""

    name: str
    host: str
    addresses: Tuple[str, ...]
    port: int
    board: str
    backend: str
    server: str
    api: str
    design: str
    tls: bool

    @property
    def address(self):
        ip = self.addresses[0]
        return f"[{ip}]:{self.port}" if ":" in ip else f"{ip}:{self.port}"

    def matches(self, name):
        """Whether ``name`` is this board's instance name or host name."""
        wanted = name.rstrip(".").casefold()
        return wanted in (self.name.casefold(), self.host.casefold())

    def as_dict(self):
        return {**dataclasses.asdict(self), "addresses": list(self.addresses),
                "address": self.address}


def is_discovery_name(host):
    """Whether ``-d`` names a board to look up over mDNS: a ``.local`` host
    name or an instance name, rather than an address or DNS name."""
    host = host.rstrip(".")
    return host.lower().endswith(".local") or not _HOST_CHARACTERS.fullmatch(host)


def browse(timeout=DEFAULT_TIMEOUT_S):
    """Every board that answers within ``timeout`` seconds, sorted by name."""
    from zeroconf import Zeroconf  # imported when needed: the CLI starts faster

    boards = {}
    zc = Zeroconf()
    try:
        for board in _announced_boards(zc, time.monotonic() + timeout):
            boards[board.name] = board
    finally:
        zc.close()
    return sorted(boards.values(), key=lambda board: board.name.casefold())


def resolve(name, timeout=DEFAULT_TIMEOUT_S):
    """The board whose instance name or host name (``lab-3.local``) is ``name``.

    Raises ``ConnectionFailed`` when none answers within ``timeout`` seconds.
    """
    from zeroconf import Zeroconf

    zc = Zeroconf()
    try:
        for board in _announced_boards(zc, time.monotonic() + timeout):
            if board.matches(name):
                return board
    finally:
        zc.close()
    raise ConnectionFailed(
        f"no board named {name!r} answered over mDNS within {timeout:g} s "
        f"('pynq-remote discover' lists the boards that do)")


def _announced_boards(zc, deadline):
    """Yields each board as it is found and resolved, until ``deadline``."""
    from zeroconf import ServiceBrowser, ServiceStateChange

    added = queue.Queue()

    def on_change(zeroconf, service_type, name, state_change):
        if state_change is ServiceStateChange.Added:
            added.put(name)

    browser = ServiceBrowser(zc, SERVICE_TYPE, handlers=[on_change])
    try:
        while (left := deadline - time.monotonic()) > 0:
            try:
                name = added.get(timeout=left)
            except queue.Empty:
                return
            board = _resolved(zc, name, max(left, 1.0))
            if board is not None:
                yield board
    finally:
        browser.cancel()


def _resolved(zc, name, timeout):
    """The ``AnnouncedBoard`` of service ``name``; None if it does not resolve."""
    from zeroconf import IPVersion, ServiceInfo

    info = ServiceInfo(SERVICE_TYPE, name)
    if not info.request(zc, int(timeout * 1000)):
        return None
    addresses = (info.parsed_addresses(IPVersion.V4Only)
                 + info.parsed_addresses(IPVersion.V6Only))
    if not addresses or not info.port:
        return None
    txt = {key.decode("utf-8", "replace"): (value or b"").decode("utf-8", "replace")
           for key, value in info.properties.items()}
    return AnnouncedBoard(
        name=name[:-len(SERVICE_TYPE) - 1], host=(info.server or "").rstrip("."),
        addresses=tuple(addresses), port=info.port, board=txt.get("board", ""),
        backend=txt.get("backend", ""), server=txt.get("server", ""),
        api=txt.get("api", ""), design=txt.get("design", ""),
        tls=txt.get("tls") == "required")
