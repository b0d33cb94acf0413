"""Discovery over mDNS/DNS-SD: the real server announces, the real CLI finds it.

Every packet stays inside a network namespace each test creates (only ``lo``,
with multicast on and routed to it, and a private address for the server to
listen on), so nothing reaches the machine's own networks. That needs root and ``ip`` (iproute2), as
CI has; without them the tests fail (they do not skip). Deselect them with
``-m "not netns"``.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import time

import pytest
from cli_runner import run_cli
from pairing_code import pairing_code
from shared_data import overlay_file

from pynq_remote.connection import addresses, discovery
from pynq_remote.connection.credentials import load_config, save_config
from pynq_remote.errors import PynqRemoteUserError
from pynq_remote.security.pki import init_pki
from pynq_remote.tools.server import LocalServer

ULTRA96_XSA = "ultra96v2_axi_dma_gpio/Accumulator_bd_wrapper.xsa"
# Private, and only inside the namespace. The server listens on it as a board
# would on its network address; mDNS leaves 127.0.0.1 out of its records.
NAMESPACE_IP = "10.213.7.1"
NEW_IP = "10.213.7.2"  # the address a board gets next (a new DHCP lease)
HOST = socket.gethostname()


def ip(*args):
    subprocess.run(["ip", *args], check=True, capture_output=True, text=True)


@pytest.fixture
def netns():
    """A network namespace of this test's own; deleted afterwards, always."""
    if shutil.which("ip") is None:
        pytest.fail("'ip' (iproute2) is missing: run scripts/install-deps.sh", pytrace=False)
    if os.geteuid() != 0:
        pytest.fail("discovery tests create a network namespace and need root (as in "
                    "CI); deselect them with -m 'not netns'", pytrace=False)
    name = f"pynq-discover-{os.getpid()}"
    ip("netns", "add", name)
    try:
        ip("-n", name, "link", "set", "lo", "up", "multicast", "on")
        ip("-n", name, "addr", "add", f"{NAMESPACE_IP}/32", "dev", "lo")
        ip("-n", name, "route", "add", "224.0.0.0/4", "dev", "lo")
        yield name
    finally:
        subprocess.run(["ip", "netns", "delete", name], check=False)


def server_in(netns, *args):
    """The sim server listening on the namespace's address, announcing."""
    server = LocalServer(listen=f"{NAMESPACE_IP}:0", extra_args=["--announce", "on", *args])
    server.command = ["ip", "netns", "exec", netns, *server.command]
    return server


def board_in(netns, listen_ip, credentials, stderr=None):
    """A board server in the namespace: announced as "lab board", paired
    (or waiting to be) with the credentials folder ``credentials``."""
    server = LocalServer(listen=f"{listen_ip}:0", log_level="info", stderr=stderr,
                         extra_args=["--mdns-name", "lab board",
                                     "--credentials-dir", credentials])
    server.command = ["ip", "netns", "exec", netns, *server.command]
    return server


def cli_in(netns, *args):
    """``pynq-remote ARGS`` run inside the namespace; the finished process."""
    return subprocess.run(["ip", "netns", "exec", netns, sys.executable, "-m", "pynq_remote",
                           *args], capture_output=True, text=True, timeout=60)


def discover_until(netns, wanted, attempts=6):
    """``discover --json`` until every name of ``wanted`` is listed (a server
    probes its names for about two seconds before announcing them)."""
    for _ in range(attempts):
        result = cli_in(netns, "discover", "--json", "--timeout", "2")
        assert result.returncode == 0, result.stderr
        boards = {board["name"]: board for board in json.loads(result.stdout)}
        if wanted <= boards.keys():
            return boards
    pytest.fail(f"discover did not list {sorted(wanted)}; last: {sorted(boards)}")


@pytest.mark.integration
@pytest.mark.netns
def test_discover_lists_the_sim_and_device_option_takes_its_names(netns):
    with server_in(netns, "--insecure") as server:
        boards = discover_until(netns, {f"sim@{HOST}"})
        board = boards[f"sim@{HOST}"]
        assert board["address"] == server.address
        assert board["addresses"][0] == NAMESPACE_IP
        assert board["port"] == int(server.address.rpartition(":")[2])
        assert board["host"].endswith(".local")
        info = json.loads(cli_in(netns, "info", "-d", server.address, "--json").stdout)
        assert (board["board"], board["backend"], board["server"], board["api"]) == (
            "sim", "sim", info["server_version"], "v1")
        assert board["design"] == info["fpga"]["design_name"] == "sim_base"
        assert board["tls"] is False

        table = cli_in(netns, "discover", "--timeout", "2")
        assert table.returncode == 0
        assert f"sim@{HOST}" in table.stdout and server.address in table.stdout

        ping = cli_in(netns, "ping", "-c", "1", "-d", f"sim@{HOST}", "--json")
        assert ping.returncode == 0, ping.stderr
        assert json.loads(ping.stdout)["address"] == server.address
        by_host = cli_in(netns, "info", "-d", board["host"], "--json")
        assert by_host.returncode == 0, by_host.stderr
        assert json.loads(by_host.stdout)["board"] == "sim"

        missing = cli_in(netns, "info", "-d", "nosuch@board")
        assert missing.returncode == 3
        assert missing.stderr.strip().endswith(
            "error: no board named 'nosuch@board' answered over mDNS within 3 s "
            "('pynq-remote discover' lists the boards that do)")


@pytest.mark.integration
@pytest.mark.netns
def test_the_txt_record_follows_the_programmed_design(netns):
    with server_in(netns, "--insecure", "--mdns-name", "bench 3") as server:
        discover_until(netns, {"bench 3"})
        deployed = cli_in(netns, "deploy", str(overlay_file(ULTRA96_XSA)), "-d", server.address)
        assert deployed.returncode == 0, deployed.stderr
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            design = discover_until(netns, {"bench 3"})["bench 3"]["design"]
            if design == "Accumulator_bd":
                return
        pytest.fail(f"the announced design stayed {design!r}")


@pytest.mark.integration
@pytest.mark.netns
def test_a_tls_board_and_a_plain_one_are_told_apart(netns, tmp_path):
    with server_in(netns, "--mdns-name", "paired board",
                   "--credentials-dir", tmp_path / "credentials"), server_in(netns, "--insecure"):
        boards = discover_until(netns, {"paired board", f"sim@{HOST}"})
    assert boards["paired board"]["tls"] is True
    assert boards[f"sim@{HOST}"]["tls"] is False
    assert boards["paired board"]["port"] != boards[f"sim@{HOST}"]["port"]


@pytest.mark.integration
def test_the_server_refuses_to_announce_a_loopback_address():
    with pytest.raises(PynqRemoteUserError, match="did not start"):
        LocalServer(extra_args=["--announce", "on"], stderr=subprocess.DEVNULL).start()
    result = subprocess.run(LocalServer(extra_args=["--mdns-name", "x"]).command,
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 2
    assert "--mdns-name: 127.0.0.1:0 is a loopback address" in result.stderr


def test_serve_passes_the_announce_options(capfd):
    code, _, err = run_cli(capfd, "serve", "--sim", "--announce")
    assert code == 2
    assert "--announce: 127.0.0.1:7967 is a loopback address" in err


@pytest.mark.parametrize("host", ["zcu104@lab", "bench 3", "lab-3.local", "lab-3.local.",
                                  "LAB.LOCAL"])
def test_names_that_are_looked_up(host):
    assert discovery.is_discovery_name(host)


def test_a_bare_ipv6_address_is_not_looked_up():
    assert not discovery.is_discovery_name("fe80::1")


@pytest.mark.parametrize("host", ["192.168.1.10", "[fe80::1]", "board", "lab-3.example.org",
                                  "localhost"])
def test_names_that_are_addresses(host):
    assert not discovery.is_discovery_name(host)
    assert addresses.resolve_address(f"{host}:7000") == f"{host}:7000"


@pytest.mark.integration
@pytest.mark.netns
def test_a_board_paired_by_name_answers_to_it_at_a_new_address(netns, tmp_path):
    """What a lab sees: pair once by the name ``discover`` shows; after the
    board's address changes (DHCP), ``-d NAME`` still reaches it over mutual
    TLS, its certificate checked against the name."""
    init_pki(name="alice")
    credentials = tmp_path / "board-credentials"
    log = tmp_path / "server.log"
    with open(log, "w") as stderr, board_in(netns, NAMESPACE_IP, credentials, stderr):
        discover_until(netns, {"lab board"})
        paired = cli_in(netns, "pair", "lab board", "--code", pairing_code(log))
        assert paired.returncode == 0, paired.stderr
    devices = load_config()["devices"]
    assert devices["lab board"] == {"tls": True, "server_name": f"{HOST}.local"}

    ip("-n", netns, "addr", "del", f"{NAMESPACE_IP}/32", "dev", "lo")
    ip("-n", netns, "addr", "add", f"{NEW_IP}/32", "dev", "lo")
    with board_in(netns, NEW_IP, credentials) as board:
        assert discover_until(netns, {"lab board"})["lab board"]["addresses"][0] == NEW_IP
        info = cli_in(netns, "info", "-d", "lab board", "--json")
        assert info.returncode == 0, info.stderr
        assert json.loads(info.stdout)["board"] == "sim"
        # Without the pairing's record, the name still gets TLS (the board
        # announces it), but the certificate is checked against the new
        # address, which it does not name: refused, naming the address.
        save_config({"identity": load_config()["identity"]})
        refused = cli_in(netns, "info", "-d", "lab board")
        assert refused.returncode == 3
        assert board.address in refused.stderr
