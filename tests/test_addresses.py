import pytest

from pynq_remote.connection.addresses import default_address, parse_address
from pynq_remote.errors import PynqRemoteUserError


@pytest.mark.parametrize("given, expected", [
    ("board", "board:7967"),
    ("board:1234", "board:1234"),
    ("10.0.0.2", "10.0.0.2:7967"),
    ("[::1]", "[::1]:7967"),
    ("[::1]:50051", "[::1]:50051"),
    (" board ", "board:7967"),
])
def test_parse_address_adds_default_port(given, expected):
    assert parse_address(given) == expected


@pytest.mark.parametrize("bad", ["", "board:http", "board:0", "board:70000", "[::1", "[::1]x"])
def test_parse_address_rejects_bad_addresses(bad):
    with pytest.raises(PynqRemoteUserError):
        parse_address(bad)


def test_default_address_takes_first_of_pynq_remote_devices(monkeypatch):
    monkeypatch.setenv("PYNQ_REMOTE_DEVICES", "zcu104:9000, kv260")
    assert default_address() == "zcu104:9000"


def test_default_address_without_devices_says_how_to_choose_one():
    with pytest.raises(PynqRemoteUserError, match="PYNQ_REMOTE_DEVICES"):
        default_address()
