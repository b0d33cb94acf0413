"""The linux backend's GPIO path on the emulated target: QEMU's `-M virt`
has an Arm PL061 GPIO controller (8 lines at 0x09030000), which the Debian
kernel's built-in pl061 driver shows as /dev/gpiochip0.

These tests need the fixture ``emulated_target``, yielding the address
(HOST:PORT) of a running emulated target; the emulated-target test module
provides it (see tests/test_emulate_target.py).
"""

import json

import pytest

import pynq_remote
from pynq_remote import GPIO
from pynq_remote.board.gpio import list_lines
from cli_runner import run_cli

pytestmark = pytest.mark.emulate

PL061_LINES = 8


def test_gpio_list_shows_the_pl061_lines(emulated_target, capsys):
    code, out, err = run_cli(capsys, "gpio", "list", "-d", emulated_target, "--json")
    assert code == 0, err
    lines = [line for line in json.loads(out) if line["chip_label"].endswith(".pl061")]
    assert [line["offset"] for line in lines] == list(range(PL061_LINES))
    assert {line["chip_lines"] for line in lines} == {PL061_LINES}
    assert lines[0]["chip"].startswith("gpiochip")
    code, out, err = run_cli(capsys, "gpio", "list", "-d", emulated_target)
    assert code == 0, err
    assert out.count("pl061") >= PL061_LINES


def test_pl061_line_driven_through_the_character_device(emulated_target):
    with pynq_remote.connect(emulated_target) as dev:
        chip = next(line.chip for line in list_lines(dev) if line.chip_label.endswith(".pl061"))
        line = GPIO(0, "out", device=dev, chip=chip)
        line.write(1)
        assert line.read() == 1
        line.write(0)
        assert line.read() == 0
        entry = next(e for e in list_lines(dev) if (e.chip, e.offset) == (chip, 0))
        assert (entry.direction, entry.used, entry.consumer) == ("out", True, "pynq-remote")
        line.release()
        assert next(e for e in list_lines(dev)
                    if (e.chip, e.offset) == (chip, 0)).direction == "in"
