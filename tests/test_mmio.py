"""MMIO through the library against the real server with the sim board."""

import threading

import numpy as np
import pytest

from pynq_remote import MMIO, InvalidArgument, OutOfRange, PermissionDenied
from pynq_remote.errors import DeadlineExceeded
from pynq_remote.board.mmio import MmioAccessError

GPIO0 = 0xA0000000  # channel 1: 4 LEDs (all outputs); channel 2: 4 buttons (inputs, 0x5)
GPIO1 = 0xA0010000  # channel 1: 8 pins, direction from GPIO_TRI, pins driven to 0xA5
HLS = 0xA0020000
BRAM = 0xA0100000
DATA, TRI, DATA2 = 0x0, 0x4, 0x8


@pytest.fixture
def gpio1(device):
    gpio = MMIO(GPIO1, 0x10000, device=device)
    yield gpio
    gpio.write(TRI, 0xFF)


@pytest.fixture
def bram(device):
    return MMIO(BRAM, 0x10000, device=device)


def test_registers_read_their_documented_reset_values(device):
    assert MMIO(GPIO1, 0x10000, device=device).read(TRI) == 0xFF  # all inputs
    assert MMIO(GPIO1, 0x10000, device=device).read(DATA) == 0xA5  # the pins
    assert MMIO(GPIO0, 0x10000, device=device).read(DATA2) == 0x5  # the buttons
    assert MMIO(HLS, 0x10000, device=device).read(0x0) == 0x4  # ap_idle


def test_gpio_data_mixes_inputs_and_outputs_by_tri(gpio1):
    gpio1.write(TRI, 0x0F)  # pins 0-3 inputs, 4-7 outputs
    gpio1.write(DATA, 0x3C)
    assert gpio1.read(DATA) == 0x35
    assert gpio1.read(TRI) == 0x0F


def test_write_then_read_returns_the_value_at_every_width(bram):
    bram.write(0x10, 0xAB, length=1)
    bram.write(0x12, 0xCDEF, length=2)
    assert bram.read(0x10, 1) == 0xAB
    assert bram.read(0x12, 2) == 0xCDEF
    bram.write(0x18, 0x0123456789ABCDEF, length=8)
    assert bram.read(0x18, 8) == 0x0123456789ABCDEF
    assert bram.read(0x18, 4) == 0x89ABCDEF
    assert bram.read(0x18, 8, word_order="big") == 0x89ABCDEF01234567


def test_write_bytes_writes_consecutive_words(bram):
    bram.write(0x100, bytes(range(8)))
    assert bram.read(0x100) == 0x03020100
    assert bram.read(0x104) == 0x07060504


def test_block_write_and_read_move_4096_words_in_one_call(bram):
    words = np.arange(4096, dtype=np.uint32) * 0x01010101
    bram.write_block(0, words)
    assert np.array_equal(bram.read_block(0, 4096), words)
    assert bram.read(4 * 4095) == int(words[4095])
    assert bram.read_block(8, 3, width=2).tolist() == [0x0202, 0x0202, 0x0303]


def test_batch_runs_every_step_and_returns_every_value(device, gpio1):
    values = (gpio1.batch()
              .read(TRI)
              .write(TRI, 0x00)
              .write(DATA, 0x81)
              .modify(DATA, mask=0x0F, value=0x06)
              .poll(DATA, mask=0xFF, expected=0x86, timeout=0.5)
              .read(DATA)
              .run())
    assert values == [0xFF, 0x00, 0x81, 0x81, 0x86, 0x86]


def test_poll_timeout_fails_with_deadline_exceeded_and_last_value(gpio1):
    with pytest.raises(DeadlineExceeded, match=r"step 1: poll of 0xa0010000 timed out"):
        gpio1.batch().read(TRI).poll(DATA, mask=0xFF, expected=0x00, timeout=0.05).run()


def test_batch_runs_again_with_the_steps_added_since(bram):
    bram.write_block(0x300, [1, 2, 3])
    batch = bram.batch().read(0x300)
    assert batch.run() == [1]
    batch.read(0x304)
    assert batch.run() == [1, 2]
    batch.steps.extend(bram.batch().read(0x308).steps)
    assert batch.run() == [1, 2, 3]


def test_bad_step_anywhere_in_a_batch_runs_nothing(device, bram):
    bram.write(0x200, 0)
    outside = MMIO(0xF0000000, 8, device=device)
    batch = bram.batch().write(0x200, 0x1234)
    batch.steps.extend(outside.batch().read(0).steps)
    with pytest.raises(PermissionDenied, match="0xf0000000"):
        batch.run()
    assert bram.read(0x200) == 0


def test_read_outside_every_window_is_permission_denied_naming_the_address(device):
    with pytest.raises(PermissionDenied, match="0xf0000000") as error:
        MMIO(0xF0000000, 4, device=device).read()
    assert error.value.msg.startswith("PERMISSION_DENIED: ")


def test_block_straddling_the_window_end_is_permission_denied(device):
    with pytest.raises(PermissionDenied, match="0xa010fff8"):
        MMIO(0xA010FFF8, 16, device=device).read_block(0, 4)


def test_unaligned_read_is_invalid_argument(device):
    with pytest.raises(InvalidArgument, match="not aligned"):
        MMIO(0xA0100002, 4, device=device).read()


def test_value_wider_than_the_access_is_refused_locally(bram):
    with pytest.raises(MmioAccessError, match="does not fit"):
        bram.write(0, 0x1FF, length=1)


def test_offset_beyond_the_mmio_range_is_refused_locally(device):
    with pytest.raises(MmioAccessError, match="outside the MMIO range"):
        MMIO(BRAM, 0x100, device=device).read(0x100)


def test_block_larger_than_the_server_limit_is_out_of_range(device):
    limit = device.info().limits.max_burst_words
    huge = MMIO(BRAM, (limit + 1) * 8, device=device)
    with pytest.raises(OutOfRange):
        huge.read_block(0, limit + 1, width=8)


def test_concurrent_modify_steps_lose_no_update(device, bram):
    bram.write(0x300, 0)

    def set_bit(bit):
        bram.batch().modify(0x300, mask=1 << bit, value=1 << bit).run()

    threads = [threading.Thread(target=set_bit, args=(bit,)) for bit in range(32)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert bram.read(0x300) == 0xFFFFFFFF


def test_many_clients_read_and_write_their_own_words_concurrently(device, bram):
    failures = []

    def hammer(index):
        for round_ in range(50):
            value = (index << 16) | round_
            bram.write(0x1000 + 4 * index, value)
            if bram.read(0x1000 + 4 * index) != value:
                failures.append((index, round_))

    threads = [threading.Thread(target=hammer, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
