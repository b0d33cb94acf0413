"""Overlay and `pynq-remote deploy` against a sim server of their own."""

import json

import numpy as np
import pytest

import pynq_remote
from pynq_remote import MMIO, Overlay, PermissionDenied, allocate
from pynq_remote.cli import main
from pynq_remote.drivers import AxiDMA, DefaultIP
from pynq_remote.server import LocalServer
from shared_data import overlay_file

ULTRA96_XSA = "ultra96v2_axi_dma_gpio/Accumulator_bd_wrapper.xsa"
ULTRA96_BIT = "ultra96v2_axi_dma_gpio/Accumulator_bd_wrapper.bit"


@pytest.fixture(scope="module")
def server():
    """A server of its own: programming changes the board the other tests share."""
    with LocalServer() as local:
        yield local


@pytest.fixture
def board(server):
    with pynq_remote.connect(server.address) as dev:
        yield dev


def test_overlay_programs_the_design_and_second_download_sends_nothing(board):
    ol = Overlay(overlay_file(ULTRA96_XSA), device=board)
    assert ol.is_loaded()
    assert ol.ip_dict["axi_gpio_0"]["phys_addr"] == 0xA0010000
    assert board.info().fpga.design_name == "Accumulator_bd"
    assert ol.download().bytes_sent == 0


def test_overlay_gives_drivers_by_ip_type(board):
    ol = Overlay(overlay_file(ULTRA96_BIT), device=board)
    assert type(ol.axi_gpio_0) is DefaultIP
    assert isinstance(ol.axi_dma_0, AxiDMA)
    assert ol.axi_gpio_0.read(0x4) == 0xFFFFFFFF  # GPIO_TRI after programming
    with pytest.raises(AttributeError, match="no IP named 'nothing'"):
        ol.nothing


def test_dma_of_a_deployed_design_loops_back(board):
    ol = Overlay(overlay_file(ULTRA96_XSA), device=board)
    with allocate(1000, "u4", device=board) as src, allocate(1000, "u4", device=board) as dst:
        src[:] = np.arange(1000)
        ol.axi_dma_0.recvchannel.transfer(dst)
        ol.axi_dma_0.sendchannel.transfer(src)
        ol.axi_dma_0.sendchannel.wait()
        ol.axi_dma_0.recvchannel.wait()
        assert np.array_equal(dst, src)


def test_cli_deploy_then_mmio_follows_the_design(capsys):
    with LocalServer() as fresh:
        for expected_upload in (True, False):
            with pytest.raises(SystemExit) as exit_info:
                main(["deploy", str(overlay_file(ULTRA96_XSA)), "-d", fresh.address, "--json"])
            assert exit_info.value.code == 0
            result = json.loads(capsys.readouterr().out)
            assert result["design_name"] == "Accumulator_bd"
            assert (result["bytes_sent"] > 0) is expected_upload
        with pynq_remote.connect(fresh.address) as dev:
            assert MMIO(0xA0010004, 4, device=dev).read() == 0xFFFFFFFF
            with pytest.raises(PermissionDenied, match="0xa0100000"):
                MMIO(0xA0100000, 4, device=dev).read()
