"""GPIO lines on the sim board: the library (pynq.GPIO's shape) and the CLI."""

import json
import threading
import time

import pytest

import pynq_remote
from pynq_remote import GPIO
from pynq_remote.errors import FailedPrecondition, InvalidArgument, NotFound
from pynq_remote.board.gpio import (GpioError, GpioLine, list_lines, read_line,
                              set_simulated_line_input, write_line)
from pynq_remote.board.interrupt import list_subscriptions
from pynq_remote.tools.server import LocalServer
from pynq_remote.v1 import gpio_pb2
from cli_runner import run_cli


@pytest.fixture(scope="module")
def server():
    """A server of its own: the tests change line directions."""
    with LocalServer() as local:
        yield local


@pytest.fixture
def board(server):
    with pynq_remote.connect(server.address) as dev:
        yield dev


def test_sim_has_the_zynqmp_ps_gpio_controller(board):
    lines = list_lines(board)
    assert len(lines) == 174
    assert {line.chip for line in lines} == {"gpiochip0"}
    assert lines[78] == GpioLine("gpiochip0", "zynqmp_gpio", 78, "emio0", "in", False, "", 174)
    assert "gpio" in board.info().capabilities and "interrupts" in board.info().capabilities


def test_gpio_line_round_trips_through_pb2():
    line = GpioLine("gpiochip1", "9030000.pl061", 3, "", "out", True, "GPIO Key Poweroff", 8)
    assert GpioLine.from_pb2(line.as_pb2()) == line


def test_emio_pin_output_and_input_like_pynq(board):
    assert GPIO.get_gpio_pin(0, device=board) == 78
    assert GPIO.get_gpio_npins(device=board) == 174
    led = GPIO(GPIO.get_gpio_pin(2, device=board), "out", device=board)
    assert (led.chip, led.index, led.name) == ("gpiochip0", 80, "emio2")
    led.write(1)
    assert led.read() == 1
    led.write(0)
    assert read_line(board, "gpiochip0", 80) == 0
    assert list_lines(board)[80].direction == "out"
    button = GPIO("emio3", "in", device=board)
    set_simulated_line_input(board, "gpiochip0", 81, 1)
    assert button.read() == 1
    with pytest.raises(GpioError, match="it is an input"):
        button.write(1)
    led.release()
    assert list_lines(board)[80].direction == "in"


def test_server_refuses_bad_lines_values_and_writes_to_inputs(board):
    with pytest.raises(NotFound, match="gpiochip0 has no line 500"):
        read_line(board, "gpiochip0", 500)
    with pytest.raises(NotFound, match="no GPIO chip 'gpiochip9'"):
        read_line(board, "gpiochip9", 0)
    with pytest.raises(InvalidArgument, match="must be 0 or 1"):
        write_line(board, "gpiochip0", 1, 2)
    with pytest.raises(FailedPrecondition, match="is an input"):
        write_line(board, "gpiochip0", 5, 1)
    request = gpio_pb2.SetGpioDirectionRequest(chip="gpiochip0", offset=1)
    with pytest.raises(InvalidArgument, match="direction must be"):
        board.call(board.gpio.SetGpioDirection, request)
    with pytest.raises(GpioError, match="no GPIO line named 'nothing'"):
        GPIO("nothing", "in", device=board)


def test_cli_gpio_list_read_write(server, capsys):
    code, out, err = run_cli(capsys, "gpio", "list", "-d", server.address, "--json")
    assert code == 0, err
    lines = json.loads(out)
    assert lines[79]["name"] == "emio1" and lines[79]["chip_label"] == "zynqmp_gpio"
    code, out, err = run_cli(capsys, "gpio", "write", "emio1", "1", "-d", server.address)
    assert (code, err) == (0, "")
    code, out, err = run_cli(capsys, "gpio", "read", "gpiochip0:79", "-d", server.address)
    assert (code, out.strip()) == (0, "1")
    code, out, err = run_cli(capsys, "gpio", "read", "79", "--chip", "gpiochip0",
                             "-d", server.address, "--json")
    assert json.loads(out) == {"chip": "gpiochip0", "offset": 79, "name": "emio1", "value": 1}
    code, out, err = run_cli(capsys, "gpio", "list", "-d", server.address)
    assert "emio1" in out and "pynq-remote" in out
    code, _, err = run_cli(capsys, "gpio", "read", "gpiochip0:999", "-d", server.address)
    assert code == 2 and "no GPIO line 999 on gpiochip0" in err


def test_cli_irq_watch_prints_events_as_json_lines(server, board, capsys):
    def raise_interrupt():
        # Once the watch has subscribed: enable the GPIO's and the intc's
        # interrupt and change an input.
        deadline = time.monotonic() + 5
        while not list_subscriptions(board).subscriptions and time.monotonic() < deadline:
            time.sleep(0.02)
        board_mmio = pynq_remote.MMIO(0xA0000000, 0x50000, device=board)
        board_mmio.write(0x11C, 0x80000000)
        board_mmio.write(0x128, 0x2)
        board_mmio.write(0x4001C, 0x3)
        board_mmio.write(0x40010, 0x1)
        pynq_remote.board.gpio.set_simulated_axi_gpio_input(board, "axi_gpio_0", 0x3, channel=2)

    thread = threading.Thread(target=raise_interrupt)
    thread.start()
    code, out, err = run_cli(capsys, "irq", "watch", "121", "-n", "1", "-d", server.address,
                             "--json")
    thread.join()
    assert code == 0, err
    event = json.loads(out.strip().splitlines()[0])
    assert (event["line"], event["count"]) == (121, 1) and event["timestamp_unix_ns"] > 0
    code, out, err = run_cli(capsys, "irq", "list", "-d", server.address, "--json")
    assert code == 0, err
    assert 121 in json.loads(out)["available_lines"]


def test_cli_irq_watch_unknown_line_is_refused(server, capsys):
    code, _, err = run_cli(capsys, "irq", "watch", "7", "-d", server.address)
    assert code == 4 and "NOT_FOUND: no interrupt line 7 on this board" in err


def test_linux_backend_refuses_simulated_inputs(tmp_path):
    """Simulated inputs are sim only. The linux backend runs here over a plain
    file standing for /dev/mem, with this machine's /dev and /sys."""
    mem = tmp_path / "mem"
    mem.write_bytes(b"")
    config = tmp_path / "board.textproto"
    config.write_text('board: "test-board" platform: "zynqmp" '
                      'windows { name: "pl" base_address: 0xA0000000 size: 0x10000 }')
    with LocalServer(backend="linux", config=config,
                     extra_args=["--mem-device", str(mem)]) as server, \
            pynq_remote.connect(server.address) as dev:
        with pytest.raises(FailedPrecondition, match="only on the sim backend"):
            pynq_remote.board.gpio.set_simulated_axi_gpio_input(dev, "pl", 1)
        with pytest.raises(FailedPrecondition, match="only on the sim backend"):
            set_simulated_line_input(dev, "gpiochip0", 0, 1)
        assert all(line.chip.startswith("gpiochip") for line in list_lines(dev))
        assert {"gpio", "interrupts"} <= set(dev.info().capabilities)
