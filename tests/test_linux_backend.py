"""The linux backend end to end, with a regular file standing in for /dev/mem."""

import pytest

from pynq_remote import MMIO, PermissionDenied, connect
from pynq_remote.tools.server import LocalServer

WINDOW = 0xA0000000
CONFIG = f"""
board: "test-board"
platform: "zynqmp"
windows {{ name: "pl" base_address: {WINDOW:#x} size: 0x200000 }}
"""


@pytest.fixture(scope="module")
def mem_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("linux") / "mem"
    with open(path, "wb") as mem:
        mem.truncate(WINDOW + 0x200000)  # sparse: only touched pages use disk
    return path


@pytest.fixture(scope="module")
def linux_device(tmp_path_factory, mem_file):
    config = tmp_path_factory.mktemp("config") / "board.textproto"
    config.write_text(CONFIG)
    with LocalServer(backend="linux", config=config,
                     extra_args=["--mem-device", str(mem_file)]) as server:
        with connect(server.address) as dev:
            yield dev


def test_info_reports_the_linux_backend_and_configured_window(linux_device):
    info = linux_device.info()
    assert (info.backend, info.board, info.platform) == ("linux", "test-board", "zynqmp")
    assert [(w.base_address, w.size) for w in info.mmio_windows] == [(WINDOW, 0x200000)]


def test_writes_land_at_the_physical_address_in_the_mem_device(linux_device, mem_file):
    MMIO(WINDOW, 0x200000, device=linux_device).write(0x1230, 0xCAFEF00D)
    with open(mem_file, "rb") as mem:
        mem.seek(WINDOW + 0x1230)
        assert mem.read(4) == bytes.fromhex("0df0feca")


def test_reads_see_what_is_in_the_mem_device(linux_device, mem_file):
    with open(mem_file, "r+b") as mem:
        mem.seek(WINDOW + 0x10000 - 8)
        mem.write(bytes(range(16)))
    window = MMIO(WINDOW, 0x200000, device=linux_device)
    assert window.read_block(0x10000 - 8, 4).tolist() == [
        0x03020100, 0x07060504, 0x0B0A0908, 0x0F0E0D0C]
    assert window.read(0x10000 - 8, 8) == 0x0706050403020100


def test_addresses_outside_the_configured_window_are_refused(linux_device):
    with pytest.raises(PermissionDenied, match="0xa0200000"):
        MMIO(WINDOW + 0x200000, 4, device=linux_device).read()
