"""Our client against a server that speaks only the PYNQ.remote protocol:
pynq-remote-server with --pynq-remote-compat only, standing for an
original PYNQ.cpp server."""

import logging

import numpy as np
import pytest

import pynq_remote
from compat_support import CompatServer
from pynq_remote import MMIO, Overlay
from pynq_remote.legacy import LegacyBuffer, LegacyDevice, NotAvailable
from pynq_remote.tools.server import LocalServer
from shared_data import overlay_file

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def server():
    with LocalServer(extra_args=["--pynq-remote-compat", "only"]) as server:
        yield server


@pytest.fixture
def dev(server):
    with pynq_remote.connect(server.address) as dev:
        yield dev


def test_connect_falls_back_and_says_what_is_unavailable(server, caplog):
    with caplog.at_level(logging.WARNING, logger="pynq_remote.legacy"):
        with pynq_remote.connect(server.address) as dev:
            assert isinstance(dev, LegacyDevice)
    lines = [r.getMessage() for r in caplog.records]
    assert lines == [f"{server.address} speaks only the PYNQ.remote protocol: MMIO, "
                     "buffers, bitstream download and arch work; unavailable: device info, "
                     "sessions (buffers live until freed), block transfers and batches, "
                     "buffer listing, PL clocks, link tests"]


def test_v1_server_gets_no_fallback(sim_address):
    with pynq_remote.connect(sim_address) as dev:
        assert isinstance(dev, pynq_remote.Device)


def test_arch_and_board(dev):
    assert dev.arch == "aarch64"
    assert dev.board == "sim"
    with pytest.raises(NotAvailable, match="device info is not available"):
        dev.info()


def test_mmio(dev):
    ram = MMIO(0xA0100000, 0x1000, device=dev)
    ram.write(0x0, 0x12345678)
    ram.write(0x4, 0x9ABCDEF0)
    assert ram.read(0x0) == 0x12345678
    assert ram.read(0x0, 2) == 0x5678
    assert ram.read(0x0, 8) == 0x9ABCDEF012345678  # two 32-bit reads
    ram.write(0x10, b"\x01\x00\x00\x00\x02\x00\x00\x00")
    assert ram.read(0x14) == 2
    with pytest.raises(NotAvailable, match="batch"):
        ram.batch()
    with pytest.raises(pynq_remote.DeviceError, match="outside the MMIO windows"):
        MMIO(0x1000, 0x10, device=dev)


def test_buffers(dev):
    buf = pynq_remote.allocate((1000,), "u2", device=dev)
    assert isinstance(buf, LegacyBuffer)
    ref = np.arange(1000, dtype="u2")
    buf[:] = ref
    buf.sync_to_device()
    buf[:] = 0
    buf.sync_from_device()
    assert np.array_equal(buf, ref)
    assert 0x60000000 <= buf.physical_address < 0x80000000
    buf.freebuffer()
    with pytest.raises(pynq_remote.DeviceError, match="no buffer"):
        buf.physical_address


def test_overlay_download_then_mmio(dev):
    ol = Overlay(overlay_file("ultra96v2_axi_dma_gpio/Accumulator_bd_wrapper.xsa"),
                 device=dev)
    assert ol.last_deploy.fpga.state == "operating"
    sent = ol.last_deploy.bytes_sent
    assert sent > 0
    gpio = MMIO(ol.ip_dict["axi_gpio_1"]["phys_addr"], 0x10000, device=dev)
    gpio.write(0x8, 0x3C)
    assert gpio.read(0x8) == 0x3C
    # The board keeps the firmware: a second download sends nothing.
    assert ol.download().bytes_sent == 0
