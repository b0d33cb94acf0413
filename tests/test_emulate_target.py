"""End to end against the emulated target: the RAM-disk booted once in
qemu-system-aarch64 -M virt by the real `pynq-remote emulate` (the session
fixture ``target`` of tests/emulated_target.py), driven through the real CLI
and library.

It is a real aarch64 Linux, so these are the linux backend's tests without a
board: /dev/mem, the carve-out above mem=, no FPGA manager, init restarting
the server. Everything they need is installed by scripts/install-emulate-deps.sh;
a missing tool fails them, loudly.
"""

import json
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

import pynq_remote
from pynq_remote import MMIO
from pynq_remote.emulate import artifacts, elf, packages
from pynq_remote.errors import ConnectionFailed
from cli_runner import run_cli
from shared_data import overlay_file

pytestmark = pytest.mark.emulate

VIRTIO_MMIO = 0x0A000000
VIRTIO_MAGIC = 0x74726976  # "virt"
KERNEL_RELEASE = packages.KERNEL[0].removeprefix("linux-image-")
BENCH = Path(__file__).resolve().parents[1] / "bench"


def test_info_reports_aarch64_and_the_debian_kernel_release(target, capsys):
    code, out, err = run_cli(capsys, "info", "-d", target.address, "--json")
    assert code == 0, err
    info = json.loads(out)
    assert info["architecture"] == "aarch64"
    assert info["kernel_release"] == KERNEL_RELEASE == target.state["kernel_release"]
    assert (info["board"], info["platform"], info["backend"]) == (
        "QEMU virt", "qemu-virt", "linux")
    assert info["mmio_windows"] == [
        {"name": "virtio_mmio", "base_address": VIRTIO_MMIO, "size": 0x4000}]


def test_mmio_read_of_the_virtio_magic_goes_through_dev_mem(target, capsys):
    code, out, err = run_cli(capsys, "mmio", "read", "0x0a000000", "-d", target.address)
    assert (code, out.strip(), err) == (0, "0x0a000000: 0x74726976", "")
    # The last of the 32 transports: magic, version 1 (legacy), no device,
    # vendor "QEMU", in one block read.
    code, out, err = run_cli(capsys, "mmio", "read", "0x0a003e00", "4",
                             "-d", target.address, "--json")
    assert code == 0, err
    assert json.loads(out)["values"] == [VIRTIO_MAGIC, 1, 0, 0x554D4551]


def test_mmio_outside_the_virtio_transports_is_refused(target, capsys):
    code, _, err = run_cli(capsys, "mmio", "read", "0x09000000", "-d", target.address)
    assert code == 4
    assert err.startswith("error: PERMISSION_DENIED: address 0x9000000")


def test_buffer_round_trip_through_the_carveout(target):
    base, size = target.state["carveout_base"], target.state["carveout_size"]
    assert base == 0x40000000 + 256 * 2**20  # above the kernel's mem=256M
    with pynq_remote.connect(target.address) as dev:
        data = np.random.default_rng(7).integers(0, 2**32, 256 * 1024, dtype=np.uint32)
        with dev.allocate(data.shape, "u4") as buf:
            assert base <= buf.physical_address
            assert buf.physical_address + buf.nbytes <= base + size
            buf[:] = data
            assert buf.sync_to_device() == data.nbytes
            buf[:] = 0
            buf.sync_from_device()
            assert np.array_equal(buf, data)


def test_programming_a_bitstream_says_there_is_no_fpga_manager(target, capsys):
    design = overlay_file("kr260_dma_ledadder/DMA_LED_wrapper.bin")
    hwh = overlay_file("kr260_dma_ledadder/DMA_LED.hwh")
    code, _, err = run_cli(capsys, "deploy", design, "--hwh", hwh, "-d", target.address)
    assert code == 4
    assert ("FAILED_PRECONDITION: this board has no FPGA manager "
            "(/sys/class/fpga_manager/fpga0 is missing), so it cannot load bitstreams") in err


def test_ramdisk_holds_the_libraries_readelf_names(target):
    """The ELF reader agrees with binutils on the real server binary."""
    server = artifacts.CROSS_BUILT_SERVER
    readelf = subprocess.run(["readelf", "-d", "-l", str(server)], capture_output=True,
                             text=True, check=True).stdout
    needed = [line.split("[")[1].rstrip("]") for line in readelf.splitlines()
              if "(NEEDED)" in line]
    info = elf.read_elf(server.read_bytes(), str(server))
    assert list(info.needed) == needed
    assert f"[Requesting program interpreter: {info.interpreter}]" in readelf
    listed = set(target.console("ls /lib/aarch64-linux-gnu").split())
    assert set(needed) - {"ld-linux-aarch64.so.1"} <= listed
    assert len(listed) < 60, "the RAM-disk holds more libraries than the server needs"


def test_killed_server_is_restarted_and_the_client_reconnects(target):
    with pynq_remote.connect(target.address) as dev:
        dev.ping()
        before = target.console("pidof pynq-remote-server")
        target.console(f"kill -9 {before}")
        deadline = time.monotonic() + 60
        while True:
            try:
                dev.ping()
                break
            except ConnectionFailed:
                assert time.monotonic() < deadline, "the server did not come back"
                time.sleep(0.2)
        after = target.console("pidof pynq-remote-server")
        assert after and after != before
        assert MMIO(VIRTIO_MMIO, device=dev).read() == VIRTIO_MAGIC


def test_figures(target, capsys):
    """Prints what the emulated target costs, with generous bounds."""
    with pynq_remote.connect(target.address) as dev:
        window = MMIO(VIRTIO_MMIO, device=dev)
        window.read()
        times = []
        for _ in range(100):
            start = time.perf_counter()
            window.read()
            times.append(time.perf_counter() - start)
    rss_kib = int(target.console(
        "grep VmRSS /proc/$(pidof pynq-remote-server)/status").split()[1])
    initrd_bytes = target.state["initrd_bytes"]
    mmio_ms = statistics.median(times) * 1000
    with capsys.disabled():
        print(f"\nemulated target: healthy {target.state['boot_seconds']:.1f} s after QEMU "
              f"started ({target.boot_wall_seconds:.1f} s from the CLI's start, "
              "build included), "
              f"RAM-disk {initrd_bytes / 2**20:.1f} MiB gzip, server RSS "
              f"{rss_kib / 1024:.1f} MiB, MMIO read round trip {mmio_ms:.1f} ms "
              "(median of 100)")
    assert initrd_bytes < 32 * 2**20
    assert rss_kib < 64 * 1024
    assert mmio_ms < 500


def test_emulated_bench_script_prints_its_figures_and_ratios(target):
    """bench/emulated.py against the target already booted (tiny counts)."""
    result = subprocess.run([sys.executable, BENCH / "emulated.py", "--device", target.address,
                             "--count", "10", "--warm-up", "2", "--rounds", "2",
                             "--words", "1,4"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    out = result.stdout

    assert re.search(r"\(e\) empty RPC \(DeviceService.Echo\) +[\d.]+ ms +x +1\.00 of \(e\)",
                     out)
    assert re.search(r"\(r\) MMIO.read +[\d.]+ ms +x *[\d.]+ of \(e\)", out)
    assert re.search(r"\(f\) 4096 B sync_from_device +[\d.]+ ms", out)
    assert re.search(r"^ +4 +[\d.]+ +[\d.]+ +[\d.]+ +[\d.]+ +[\d.]+ +[\d.]+ +[\d.]+ +[\d.]+; "
                     r"+[\d.]+ +[\d.]+$", out, re.MULTILINE)
    assert re.search(r"handshake \(write, wait, read\): single calls [\d.]+ ms, one batch "
                     r"with a poll [\d.]+ ms, ratio [\d.]+", out)
