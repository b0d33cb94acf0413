"""The CLI in-process against the real sim server: output, --json, exit codes."""

import json

import pytest

from cli_runner import run_cli


@pytest.fixture
def board(monkeypatch, sim_address):
    monkeypatch.setenv("PYNQ_REMOTE_DEVICES", sim_address)
    return sim_address


def test_info_prints_the_board(capsys, board):
    code, out, _ = run_cli(capsys, "info")
    assert code == 0
    assert "sim" in out and "axi_gpio_0" in out and "0xa0000000" in out


def test_info_json_has_every_field(capsys, board):
    code, out, _ = run_cli(capsys, "info", "--json")
    assert code == 0
    info = json.loads(out)
    assert info["board"] == "sim"
    assert info["mmio_windows"][0] == {"name": "axi_gpio_0", "base_address": 0xA0000000,
                                       "size": 0x10000}


def test_mmio_read_of_a_gpio_register_returns_its_reset_value(capsys, board):
    code, out, _ = run_cli(capsys, "mmio", "read", "0xA0010004")
    assert (code, out) == (0, "0xa0010004: 0x000000ff\n")


def test_mmio_write_then_read_returns_the_written_value(capsys, board):
    assert run_cli(capsys, "mmio", "write", "0xA0000000", "0x9")[:2] == (0, "")
    code, out, _ = run_cli(capsys, "mmio", "read", "0xA0000000", "--json")
    assert code == 0
    assert json.loads(out) == {"address": 0xA0000000, "width": 32, "values": [9]}


def test_mmio_write_json_echoes_what_was_written(capsys, board):
    code, out, _ = run_cli(capsys, "mmio", "write", "0xA0100040", "0xBEEF", "-w", "16",
                       "--json")
    assert code == 0
    assert json.loads(out) == {"address": 0xA0100040, "width": 16, "value": 0xBEEF}
    assert run_cli(capsys, "mmio", "read", "0xA0100040", "-w", "16")[1] == "0xa0100040: 0xbeef\n"


def test_mmio_read_count_reads_a_block(capsys, board):
    run_cli(capsys, "mmio", "write", "0xA0100100", "1")
    run_cli(capsys, "mmio", "write", "0xA0100104", "2")
    code, out, _ = run_cli(capsys, "mmio", "read", "0xA0100100", "2", "--json")
    assert code == 0
    assert json.loads(out)["values"] == [1, 2]


def test_mmio_dump_prints_a_hexdump(capsys, board):
    run_cli(capsys, "mmio", "write", "0xA0100200", "0x64636261")
    code, out, _ = run_cli(capsys, "mmio", "dump", "0xA0100200", "16")
    assert code == 0
    assert out == ("0xa0100200  61 62 63 64 00 00 00 00 00 00 00 00 00 00 00 00"
                   "  |abcd............|\n")


def test_read_outside_every_window_names_permission_denied_and_the_address(capsys, board):
    code, out, err = run_cli(capsys, "mmio", "read", "0xF0000000")
    assert code == 4
    assert out == ""
    assert err.startswith("error: PERMISSION_DENIED: ")
    assert "0xf0000000" in err
    assert "Traceback" not in err and err.count("\n") == 1


def test_unaligned_read_is_invalid_argument(capsys, board):
    code, _, err = run_cli(capsys, "mmio", "read", "0xA0100002")
    assert code == 4
    assert err.startswith("error: INVALID_ARGUMENT: ")


def test_device_option_overrides_the_environment(capsys, monkeypatch, sim_address):
    monkeypatch.setenv("PYNQ_REMOTE_DEVICES", "127.0.0.1:1")
    assert run_cli(capsys, "mmio", "read", "-d", sim_address, "0xA0020000")[:2] == (
        0, "0xa0020000: 0x00000004\n")


def test_unreachable_device_exits_3_with_one_line(capsys):
    code, _, err = run_cli(capsys, "info", "-d", "127.0.0.1:1")
    assert code == 3
    assert err.startswith("error: cannot reach device at 127.0.0.1:1")


def test_missing_device_exits_2(capsys):
    code, _, err = run_cli(capsys, "info")
    assert code == 2
    assert "PYNQ_REMOTE_DEVICES" in err


def test_bad_address_is_a_usage_error(capsys, board):
    code, _, err = run_cli(capsys, "mmio", "read", "banana")
    assert code == 2
    assert "'banana' is not an integer" in err


def test_ping_json_reports_round_trip_times(capsys, board):
    code, out, _ = run_cli(capsys, "ping", "-c", "2", "-i", "0", "--json")
    assert code == 0
    result = json.loads(out)
    assert result["count"] == 2
    assert 0 < result["min_ms"] <= result["avg_ms"] <= result["max_ms"]
