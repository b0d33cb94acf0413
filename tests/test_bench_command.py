"""``pynq-remote bench`` and the bench/ scripts, which share
pynq_remote.tools.benchmark, against the real sim server (small counts)."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from cli_runner import run_cli
from compat_support import pynq_python

pytestmark = pytest.mark.integration

BENCH = Path(__file__).resolve().parents[1] / "bench"
GPIO_BASE = 0xA0000000  # the sim's first MMIO window


def test_bench_json_has_latency_ratio_and_throughput(capsys, sim_address):
    code, out, err = run_cli(capsys, "bench", "-d", sim_address, "--count", "50",
                             "--size-mib", "1", "--json")

    assert code == 0, err
    report = json.loads(out)
    assert report["address"] == sim_address
    assert report["mmio_address"] == GPIO_BASE
    for kind in ("mmio_read", "health"):
        latency = report[kind]
        assert latency["count"] == 50
        assert 0 < latency["median_s"] <= latency["p99_s"] < 1
    assert report["read_vs_health"] == pytest.approx(
        report["mmio_read"]["median_s"] / report["health"]["median_s"])
    assert report["buffer_bytes"] == 1 << 20
    assert report["write_mb_s"] > 1 and report["read_mb_s"] > 1


def test_bench_prints_one_line_per_figure(capsys, sim_address):
    code, out, _ = run_cli(capsys, "bench", "-d", sim_address, "-c", "20", "--size-mib", "1",
                           "--address", "0xA0010004")

    assert code == 0
    lines = out.splitlines()
    assert lines[0] == f"{sim_address}: MMIO read at 0xa0010004, 20 reads"
    assert re.fullmatch(r"MMIO read +median +[\d.]+ us +p99 +[\d.]+ us", lines[1])
    assert re.fullmatch(r"health check +median +[\d.]+ us +p99 +[\d.]+ us", lines[2])
    assert re.fullmatch(r"read / health +\d+\.\d\d", lines[3])
    assert re.fullmatch(r"buffer 1 MiB +write \d+ MB/s +read \d+ MB/s", lines[4])


def test_bench_outside_the_mmio_windows_names_the_address(capsys, sim_address):
    code, _, err = run_cli(capsys, "bench", "-d", sim_address, "-c", "5",
                           "--address", "0x1000")

    assert code == 4
    assert err.startswith("error: PERMISSION_DENIED: ") and "0x1000" in err


def bench_script(name, *args):
    result = subprocess.run([sys.executable, BENCH / name, *args], capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_mmio_script_prints_its_figures_and_ratios(sim_address):
    out = bench_script("mmio.py", "--device", sim_address, "--words", "16", "--count", "20",
                       "--rounds", "1")

    assert re.search(r"\(e\) empty RPC \(DeviceService.Echo\) +[\d.]+ us", out)
    assert re.search(r"\(a\) gRPC health check +[\d.]+ us", out)
    assert re.search(r"\(b\) pynq_remote.MMIO.read +[\d.]+ us", out)
    assert "(p)" not in out  # the sim's port is not pynq's 7967
    assert re.search(r"\(d\) 16 words, one block read +[\d.]+ ms", out)
    assert re.search(r"b/e += +[\d.]+ +\(target <= 1\.1\)", out)
    assert re.search(r"c/d batch += +[\d.]+ +\(target >= 1000\)", out)


def test_mmio_script_times_pynq_4_on_its_own_server():
    pynq_python()  # install first: a failure is a failure, not a skip
    out = bench_script("mmio.py", "--words", "16", "--count", "20", "--rounds", "1")

    assert re.search(r"\(p\) pynq 4.0.0 MMIO.read \(compat\) +[\d.]+ us", out)
    assert re.search(r"b/p += +[\d.]+ +\(target <= 1\.0, aim 0\.8\)", out)


def test_client_config_script_prints_a_row_per_configuration():
    pynq_python()
    out = bench_script("client_config.py", "--count", "20")

    rows = out.splitlines()
    assert re.fullmatch(r"grpcio 1\.64\.0, compat read +[\d.]+ us +1\.00", rows[0])
    assert re.fullmatch(r"pynq_remote.MMIO.read \(library\) +[\d.]+ us +[\d.]+", rows[-1])


def test_stream_script_prints_the_four_calls_and_their_ratios():
    out = bench_script("stream.py", "--count", "20")

    rows = out.splitlines()
    assert re.fullmatch(r"\(u \) unary call \(sync API\) +[\d.]+ us +1\.00 x \(u\)", rows[0])
    for row, call in zip(rows[1:], ["(s ) stream turn (sync API)", "(au) unary call (grpc.aio)",
                                    "(as) stream turn (grpc.aio)"]):
        assert re.fullmatch(re.escape(call) + r" +[\d.]+ us +[\d.]+ x \(u\)", row)


def test_buffers_script_prints_a_row_per_size(sim_address):
    out = bench_script("buffers.py", "--device", sim_address, "--sizes-mib", "1")

    # MB/s up and raw, ratio of medians and of the best turns, the same down,
    # cold peak RSS growth (x size, MiB), then warm and raw-stream-alone growth
    assert re.search(r"^ +1 MiB +\d+ MB/s +\d+ MB/s +[\d.]+ +[\d.]+ +\d+ MB/s +\d+ MB/s "
                     r"+[\d.]+ +[\d.]+ +[\d.]+ x size \(\d+ MiB\) +-?[\d.]+ +-?[\d.]+$",
                     out, re.MULTILINE)
