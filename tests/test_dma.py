"""AXI DMA loopback end to end: driver on the host, PG021 model in the server."""

import numpy as np
import pytest

from pynq_remote import allocate
from pynq_remote.drivers import AxiDMA, DefaultIP, DmaError

DMA = {"phys_addr": 0xA0030000, "addr_range": 0x10000,
       "parameters": {"c_sg_length_width": "26", "c_include_sg": "0"}}


@pytest.fixture
def dma(device):
    return AxiDMA(DMA, device=device)


def test_loopback_moves_the_input_to_the_output(device, dma):
    with allocate(5000, "u4", device=device) as input_buffer, \
            allocate(5000, "u4", device=device) as output_buffer:
        input_buffer[:] = np.arange(5000) * 3
        dma.recvchannel.transfer(output_buffer)
        dma.sendchannel.transfer(input_buffer)
        dma.sendchannel.wait()
        dma.recvchannel.wait()
        assert np.array_equal(output_buffer, input_buffer)
        assert dma.register_map.S2MM_LENGTH.value == 20000
        assert dma.sendchannel.idle and dma.recvchannel.idle


def test_send_before_receive_works_too(device, dma):
    with allocate(64, "u1", device=device) as src, allocate(64, "u1", device=device) as dst:
        src[:] = np.arange(64)
        dma.sendchannel.transfer(src)
        dma.recvchannel.transfer(dst)
        dma.sendchannel.wait()
        dma.recvchannel.wait()
        assert np.array_equal(dst, np.arange(64))


def test_channels_run_after_start_and_report_through_the_register_map(dma):
    assert dma.sendchannel.running and dma.recvchannel.running
    assert dma.register_map.MM2S_DMACR.RS == 1
    assert dma.register_map.S2MM_DMASR.Halted == 0
    assert dma.buffer_max_size == (1 << 26) - 1


def test_receive_buffer_too_short_is_an_internal_error(device, dma):
    with allocate(256, "u1", device=device) as src, allocate(128, "u1", device=device) as dst:
        dma.recvchannel.transfer(dst)
        dma.sendchannel.transfer(src)
        with pytest.raises(DmaError, match=r"S2MM channel reported internal error"):
            dma.recvchannel.wait(timeout=0.5)


class OutsideThePool:
    nbytes = 4096
    physical_address = 0x10000000


def test_destination_outside_buffer_memory_is_a_decode_error(device, dma):
    with allocate(4096, "u1", device=device) as src:
        dma.recvchannel.transfer(OutsideThePool())
        dma.sendchannel.transfer(src)
        with pytest.raises(DmaError, match="decode error"):
            dma.recvchannel.wait(timeout=0.5)


def test_transfer_larger_than_the_dma_allows_is_refused_before_any_call(device):
    small = dict(DMA, parameters={"c_sg_length_width": "8"})
    dma = AxiDMA(small, device=device)
    with allocate(1024, "u1", device=device) as src:
        with pytest.raises(DmaError, match="maximum of 255 bytes"):
            dma.sendchannel.transfer(src)


def test_register_fields_are_read_modify_written_on_the_board(device):
    gpio = DefaultIP({"phys_addr": 0xA0010000, "addr_range": 0x10000, "registers": {
        "GPIO_TRI": {"address_offset": 4, "size": 32, "fields": {
            "LOW": {"bit_offset": 0, "bit_width": 4},
            "HIGH": {"bit_offset": 4, "bit_width": 4}}}}}, device=device)
    tri = gpio.register_map.GPIO_TRI
    tri.HIGH = 0
    assert (tri.value, tri.LOW, tri.HIGH) == (0x0F, 0xF, 0)
    with pytest.raises(ValueError, match="does not fit"):
        tri.LOW = 0x10
    gpio.register_map.GPIO_TRI = 0xFF
    assert gpio.read(4) == 0xFF
