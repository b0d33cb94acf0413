"""PYNQ's API as notebooks use it (issue #22), on the Pynq-Z2 base design
programmed on a sim server of this module's own: hierarchies, driver binding,
the base overlay's board attributes, register slices, DMA errors."""

import asyncio
import time

import numpy as np
import pytest

import pynq_remote
from pynq_remote import DefaultHierarchy, DefaultIP, MMIO, Overlay, allocate
from pynq_remote.board.gpio import set_simulated_axi_gpio_input
from pynq_remote.design.hierarchy import BindingError, UnknownName
from pynq_remote.drivers import DriverConflict, RegisterError
from pynq_remote.lib import AxiGPIO
from pynq_remote.lib.dma import DMA, DmaError
from pynq_remote.overlays.base import BaseOverlay
from pynq_remote.tools.server import LocalServer
from shared_data import overlay_file

BASE = "pynqz2_base_v2.4/base.bit"
ULTRA96 = "ultra96v2_axi_dma_gpio/Accumulator_bd_wrapper.xsa"
COLOR_CONVERT = "xilinx.com:hls:color_convert:1.0"


@pytest.fixture(scope="module")
def board():
    with LocalServer() as server, pynq_remote.connect(server.address) as dev:
        yield dev


@pytest.fixture(scope="module")
def base(board):
    return BaseOverlay(overlay_file(BASE), device=board)


def test_hierarchies_as_pynq_builds_them(base):
    assert sorted(base.hierarchy_dict) == [
        "iop_arduino", "iop_pmoda", "iop_pmodb", "iop_rpi", "trace_analyzer_pi",
        "trace_analyzer_pmodb", "video", "video/hdmi_in", "video/hdmi_in/frontend",
        "video/hdmi_out", "video/hdmi_out/frontend"]
    video = base.hierarchy_dict["video"]
    assert sorted(video["hierarchies"]) == ["hdmi_in", "hdmi_out"]
    assert sorted(video["ip"]) == ["axi_vdma"]
    assert list(base.hierarchy_dict["iop_pmoda"]["memories"]) == ["mb_bram_ctrl"]


def test_attributes_reach_through_hierarchies(base):
    assert isinstance(base.video, DefaultHierarchy)
    convert = base.video.hdmi_in.color_convert
    assert isinstance(convert, DefaultIP)
    assert convert.mmio.base_addr == base.ip_dict["video/hdmi_in/color_convert"]["phys_addr"]
    assert base.iop_pmoda.mb_bram_ctrl.base_addr == 0x40000000
    assert base.video is base.video  # made once
    assert {"video", "iop_pmoda", "leds_gpio", "btns_gpio"} <= set(dir(base))
    assert not [name for name in dir(base) if "/" in name]
    assert "hdmi_in" in dir(base.video)


def test_help_lists_ips_and_hierarchies_with_their_drivers(base):
    doc = type(base).__doc__
    assert "leds_gpio            : pynq_remote.drivers.axi_gpio.AxiGPIO" in doc
    assert "video                : pynq_remote.design.hierarchy.DefaultHierarchy" in doc
    assert "axi_vdma             : pynq_remote.drivers.default_ip.DefaultIP" in type(
        base.video).__doc__
    assert repr(base).startswith("<BaseOverlay base.bit on 127.0.0.1:")
    assert repr(base).endswith(": 20 IPs, 7 hierarchies>")


def test_unknown_names_name_the_near_matches(base):
    with pytest.raises(UnknownName) as error:
        base.led_gpio
    assert str(error.value) == ("the overlay has no IP, hierarchy or memory named "
                                "'led_gpio'; close names: leds_gpio, rgbleds_gpio")
    with pytest.raises(AttributeError, match="video has no IP, hierarchy or memory named "
                                             "'hdmi_inn'; close names: hdmi_in"):
        base.video.hdmi_inn
    with pytest.raises(AttributeError, match=r"no register named 'GPIO_DAT'; "
                                             r"did you mean GPIO_DATA"):
        base.leds_gpio.register_map.GPIO_DAT


def test_a_hierarchy_driver_binds_to_every_hierarchy_it_accepts(board):
    class TraceAnalyzer(DefaultHierarchy):
        @staticmethod
        def checkhierarchy(description):
            return "axi_dma_0" in description["ip"]

        def __init__(self, description):
            super().__init__(description)
            self.dma = self.axi_dma_0

    try:
        ol = Overlay(overlay_file(BASE), device=board, download=False)
        assert isinstance(ol.trace_analyzer_pi, TraceAnalyzer)
        assert isinstance(ol.trace_analyzer_pmodb.dma, DMA)
        assert not isinstance(ol.video, TraceAnalyzer)
        assert "trace_analyzer_pi    : test_pynq_api.TraceAnalyzer" in type(ol).__doc__ \
            .replace("test_pynq_api.test_a_hierarchy_driver_binds_to_every_hierarchy_it_"
                     "accepts.<locals>.", "test_pynq_api.")
    finally:
        TraceAnalyzer.unregister()


def test_a_hierarchy_driver_that_raises_names_hierarchy_and_driver(board):
    class Broken(DefaultHierarchy):
        @staticmethod
        def checkhierarchy(description):
            return description["fullpath"] == "video"

        def __init__(self, description):
            super().__init__(description)
            raise KeyError("hdmi_out")

    try:
        ol = Overlay(overlay_file(BASE), device=board, download=False)
        with pytest.raises(BindingError) as error:
            ol.video
        assert str(error.value).startswith("driver test_pynq_api.")
        assert str(error.value).endswith("Broken failed on hierarchy video: KeyError: "
                                         "'hdmi_out'")
    finally:
        Broken.unregister()


def test_bindto_binds_a_user_driver_by_vlnv(board):
    class ColorConvert(DefaultIP):
        bindto = [COLOR_CONVERT]

        def __init__(self, description):
            super().__init__(description=description)

    try:
        ol = Overlay(overlay_file(BASE), device=board, download=False)
        assert isinstance(ol.video.hdmi_out.color_convert, ColorConvert)
        assert ol.video.hdmi_out.color_convert.device is board
    finally:
        ColorConvert.unregister()


def test_a_driver_for_another_version_needs_ignore_version(board):
    class OldColorConvert(DefaultIP):
        bindto = ["xilinx.com:hls:color_convert:0.9"]

    try:
        with pytest.warns(UserWarning, match=r"IP video/hdmi_(in|out)/color_convert is of type "
                                             r"xilinx.com:hls:color_convert:1.0 and driver "
                                             r"found for \[xilinx.com:hls:color_convert:0.9\]"):
            ol = Overlay(overlay_file(BASE), device=board, download=False)
        assert type(ol.video.hdmi_in.color_convert) is DefaultIP
        ol = Overlay(overlay_file(BASE), device=board, download=False, ignore_version=True)
        assert isinstance(ol.video.hdmi_in.color_convert, OldColorConvert)
    finally:
        OldColorConvert.unregister()


def test_two_drivers_claiming_one_vlnv_is_an_error():
    class First(DefaultIP):
        bindto = ["example.com:user:claimed:1.0"]

    try:
        with pytest.raises(DriverConflict, match=r"test_pynq_api.*Second and test_pynq_api"
                                                 r".*First both bind to "
                                                 r"example.com:user:claimed:1.0"):
            class Second(DefaultIP):
                bindto = ["example.com:user:claimed:1.0"]

        class Refined(First):  # a subclass takes the VLNV over, as in PYNQ
            bindto = ["example.com:user:claimed:1.0"]
        Refined.unregister()
    finally:
        First.unregister()


def test_base_overlay_leds_switches_and_rgbleds(board, base):
    assert [len(base.leds), len(base.buttons), len(base.switches)] == [4, 4, 2]
    base.leds[0].on()
    base.leds[2].on()
    base.leds[2].toggle()
    base.leds[3].toggle()
    leds = MMIO(base.ip_dict["leds_gpio"]["phys_addr"], 0x10, device=board)
    assert leds.read(0x0) & 0xF == 0b1001
    assert [led.read() for led in base.leds] == [1, 0, 0, 1]
    base.leds[0].off()
    set_simulated_axi_gpio_input(board, "switches_gpio", 0b10)
    assert [switch.read() for switch in base.switches] == [0, 1]
    assert base.rgbleds[:4] == [None] * 4
    base.rgbleds[5].write(0x4)
    base.rgbleds[4].on(0x2)
    assert (base.rgbleds[4].read(), base.rgbleds[5].read()) == (0x2, 0x4)
    assert MMIO(base.ip_dict["rgbleds_gpio"]["phys_addr"], 0x10, device=board).read() == 0x22
    with pytest.raises(ValueError, match="an RGB LED colour is 0 to 7"):
        base.rgbleds[4].write(8)


def test_base_overlay_buttons_wait_on_the_interrupt(board, base):
    set_simulated_axi_gpio_input(board, "btns_gpio", 0)
    assert base.buttons[0].read() == 0

    async def press_later():
        await asyncio.sleep(0.2)
        set_simulated_axi_gpio_input(board, "btns_gpio", 0b0001)

    async def run():
        presser = asyncio.ensure_future(press_later())
        await asyncio.wait_for(base.buttons[0].wait_for_value_async(1), 10)
        await presser

    asyncio.run(run())
    assert base.buttons[0].read() == 1
    set_simulated_axi_gpio_input(board, "btns_gpio", 0)


def test_base_overlay_takes_its_path_from_the_environment(board, monkeypatch):
    monkeypatch.setenv("PYNQ_REMOTE_BASE_OVERLAY", str(overlay_file(BASE)))
    ol = BaseOverlay("base.bit", device=board, download=False)
    assert ol.design.name == "base"
    monkeypatch.delenv("PYNQ_REMOTE_BASE_OVERLAY")
    with pytest.raises(pynq_remote.PynqRemoteUserError,
                       match="base.bit: no such file, and PYNQ_REMOTE_BASE_OVERLAY names "
                             "no base design"):
        BaseOverlay("base.bit", device=board)


def test_register_bit_slices_read_and_write(base):
    data = base.leds_gpio.register_map.GPIO_DATA
    data[:] = 0
    data[2:0] = 5
    assert (data[2:0], data[0], data[1], data.value) == (5, 1, 0, 0b101)
    data[0:2] = 0b001  # lo:hi reverses the bits, as in PYNQ
    assert data[2:0] == 0b100
    data[3] = 1
    assert int(data) == 0b1100


def test_bad_slices_and_read_only_fields_write_nothing(base):
    data = base.leds_gpio.register_map.GPIO_DATA
    data[:] = 0x3
    with pytest.raises(RegisterError) as error:
        data[32:0] = 1
    assert str(error.value) == ("register GPIO_DATA: bit 32 is outside its 32 bits "
                                "(0 to 31); nothing was written")
    with pytest.raises(RegisterError, match=r"register GPIO_DATA: 0x8 does not fit in bits "
                                            r"2:0 \(3 bits\); nothing was written"):
        data[2:0] = 8
    status = base.trace_analyzer_pi.axi_dma_0.register_map.S2MM_DMASR
    before = status.value
    with pytest.raises(RegisterError) as error:
        status.Idle = 1
    assert str(error.value) == ("field Idle of register S2MM_DMASR is read-only; "
                                "nothing was written")
    assert (data.value, status.value) == (0x3, before)


def test_register_help_shows_its_fields(base):
    control = base.trace_analyzer_pi.axi_dma_0.register_map.S2MM_DMACR
    doc = type(control).__doc__
    assert doc.startswith("Register S2MM_DMACR at offset 0x30, read-write.")
    assert "  RS [0:0] read-write: Run / Stop control" in doc
    assert "  IRQThreshold [23:16] read-write:" in doc
    assert type(control).RS.__doc__.startswith("bits 0:0, read-write. Run / Stop")
    assert repr(control).startswith("Register(S2MM_DMACR=0x")
    assert "IRQThreshold=" in repr(control)


@pytest.fixture(scope="module")
def loopback():
    """The Ultra96-V2 DMA loopback design on a board of its own."""
    with LocalServer() as server, pynq_remote.connect(server.address) as dev:
        yield Overlay(overlay_file(ULTRA96), device=dev)


def test_dma_channels_follow_the_design(base):
    receive_only = base.trace_analyzer_pi.axi_dma_0  # C_INCLUDE_MM2S=0, as PYNQ reads it
    assert receive_only.sendchannel is None and receive_only.recvchannel is not None


def test_dma_wait_raises_the_decoded_error_without_waiting_out_the_timeout(loopback):
    board, dma = loopback.device, loopback.axi_dma_0
    with allocate(256, "u1", device=board) as src, allocate(128, "u1", device=board) as dst:
        dma.recvchannel.transfer(dst)
        dma.sendchannel.transfer(src)
        started = time.monotonic()
        with pytest.raises(DmaError) as error:
            dma.recvchannel.wait(timeout=60)
        assert time.monotonic() - started < 30  # not the 60 s timeout
        assert isinstance(error.value, RuntimeError)  # what PYNQ raises
        assert str(error.value).startswith("DMA S2MM channel reported internal error "
                                           "(DMAIntErr) (status 0x")
    dma.reset()


def test_dma_wait_async(loopback):
    board, dma = loopback.device, loopback.axi_dma_0
    with allocate(1024, "u4", device=board) as src, allocate(1024, "u4", device=board) as dst:
        src[:] = np.arange(1024)

        async def run():
            dma.recvchannel.transfer(dst)
            dma.sendchannel.transfer(src)
            await dma.sendchannel.wait_async()
            await dma.recvchannel.wait_async()

        asyncio.run(run())
        assert np.array_equal(dst, src)
        assert dma.recvchannel.transferred == 4096
        assert src.virtual_address == src.__array_interface__["data"][0]
        src.flush()
        dst.invalidate()


def test_mmio_write_reg_and_write_mm(board, base):
    leds = MMIO(base.ip_dict["leds_gpio"]["phys_addr"], 0x10, device=board)
    leds.write_reg(0x4, 0)
    leds.write_mm(0x0, 0x5)
    assert leds.read(0x0) == 0x5
    leds.write_mm(0x0, (0xA).to_bytes(4, "little"))
    assert leds.read(0x0) == 0xA
    with pytest.raises(ValueError, match="write_reg writes an int, not bytes"):
        leds.write_reg(0x0, b"\x00\x00\x00\x00")


def test_lib_paths_are_the_drivers():
    assert AxiGPIO is pynq_remote.drivers.AxiGPIO
    assert DMA is pynq_remote.drivers.AxiDMA
