"""Overlay and `pynq-remote deploy` against a sim server of their own."""

import json

import numpy as np
import pytest

import pynq_remote
from pynq_remote import MMIO, Overlay, PermissionDenied, allocate
from cli_runner import run_cli
from pynq_remote.drivers import AxiDMA, AxiGPIO
from pynq_remote.tools.server import LocalServer
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
    assert isinstance(ol.axi_gpio_0, AxiGPIO)
    assert isinstance(ol.axi_dma_0, AxiDMA)
    assert ol.axi_gpio_0.read(0x4) == 0xFFFFFFFF  # GPIO_TRI after programming
    with pytest.raises(AttributeError, match="no IP, hierarchy or memory named 'nothing'"):
        ol.nothing


def test_axi_gpio_channels_pins_and_direction(board):
    gpio = Overlay(overlay_file(ULTRA96_XSA), device=board).axi_gpio_1
    channel = gpio.channel1
    assert channel.trimask == 0xFFFFFFFF
    channel.setdirection("out")
    channel.write(0xA5, mask=0xFF)
    channel.write(0x0F, mask=0x0F)
    assert channel.read() == 0xAF
    gpio[0][4].toggle()
    assert (channel.read(), gpio[0][4].read()) == (0xBF, 1)
    gpio[0][0].off()
    assert channel.read() == 0xBE
    with pytest.raises(ValueError, match="'in' or 'out'"):
        channel.setdirection("sideways")


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
            code, out, _ = run_cli(capsys, "deploy", overlay_file(ULTRA96_XSA),
                                   "-d", fresh.address, "--json")
            assert code == 0
            [result] = json.loads(out)
            assert result["design_name"] == "Accumulator_bd"
            assert (result["bytes_sent"] > 0) is expected_upload
        with pynq_remote.connect(fresh.address) as dev:
            assert MMIO(0xA0010004, 4, device=dev).read() == 0xFFFFFFFF
            with pytest.raises(PermissionDenied, match="0xa0100000"):
                MMIO(0xA0100000, 4, device=dev).read()


def test_deploy_to_several_boards_then_status_shows_each(capsys, monkeypatch):
    with LocalServer() as first, LocalServer() as second:
        monkeypatch.setenv("PYNQ_REMOTE_DEVICES", f"{first.address},{second.address}")
        code, out, _ = run_cli(capsys, "deploy", overlay_file(ULTRA96_XSA), "--json")
        assert code == 0
        results = json.loads(out)
        assert [r["address"] for r in results] == [first.address, second.address]
        assert all(r["bytes_sent"] > 0 for r in results)
        code, out, _ = run_cli(capsys, "status", "--json")
        assert code == 0
        states = json.loads(out)
        assert [s["design_name"] for s in states] == ["Accumulator_bd"] * 2
        assert states[0]["sha256"] == results[0]["sha256"]
        code, out, _ = run_cli(capsys, "status", "-d", first.address)
        assert code == 0 and "Accumulator_bd" in out and first.address in out


def test_deploy_reports_each_board_that_failed(capsys):
    with LocalServer() as board:
        code, out, err = run_cli(capsys, "deploy", overlay_file(ULTRA96_XSA), "-d", board.address,
                             "-d", "127.0.0.1:1", "--json")
    assert code == 3
    results = json.loads(out)
    assert "error" not in results[0]
    assert results[1]["error"].startswith("cannot reach device at 127.0.0.1:1")
    assert err.startswith("error: deploy failed on 1 of 2 device(s): cannot reach device")
