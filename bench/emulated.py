#!/usr/bin/env python3
"""Per-call latency over a real link: the emulated target, side by side in one run.

Boots the emulated target once (`pynq-remote emulate`'s artifacts, QEMU
TCG aarch64, in a run folder of its own), then times, interleaved: (e) the
empty RPC, (r) one MMIO.read, (w) one MMIO.write, (s)/(f) a 4 KiB buffer's
sync_to_device/sync_from_device (medians over --count calls each); for
each N of --words, N single reads against one read_block and one batch of
N reads, and the same for writes (medians over --rounds); and a handshake
(write a start register, wait for a status value, read a result) as single
calls with a loop of reads against one batch with a poll step. Prints
medians and ratios, then stops QEMU. The registers are the virtio-mmio
transports of QEMU's virt machine (no device behind them: reads give the
magic or zero, writes are ignored). Issue #21, point 6.
Usage: bench/emulated.py [--count C] [--warm-up W] [--rounds R] [--words 1,2,4,...]
                         [--device HOST:PORT]
"""

import argparse
import os
import statistics
import tempfile

import pynq_remote
from pynq_remote import emulate
from pynq_remote.tools import benchmark

VIRTIO_MMIO = 0x0A000000
WINDOW_BYTES = 0x4000  # the 32 transports, 0x200 bytes each
VIRTIO_MAGIC = 0x74726976  # "virt", at offset 0 of every transport
WRITE_OFFSET = 0x3E00  # transport 31: writes to a transport without a device are ignored
START_OFFSET = WRITE_OFFSET + 0x70  # its Status register, the handshake's "start"
RESULT_OFFSET = 0x4  # the Version register, the handshake's "result"
BUFFER_BYTES = 4096


def interleaved_medians(functions, rounds):
    """``{name: median seconds}`` of ``functions`` called in turns ``rounds``
    times each, after one warm-up call each."""
    for function in functions.values():
        function()
    samples = {name: [] for name in functions}
    for _ in range(rounds):
        for name, function in functions.items():
            samples[name] += benchmark.call_seconds(function, 1)
    return {name: statistics.median(times) for name, times in samples.items()}


def per_call(device, window, count, warm_up):
    """Medians of the single calls: (e), (r), (w), (s), (f)."""
    bare = benchmark.BareCalls(device.address)
    buf = pynq_remote.allocate(BUFFER_BYTES, "u1", device=device)
    try:
        latency = benchmark.interleaved_latency({
            "empty": benchmark.sampler(bare.empty),
            "read": benchmark.sampler(window.read),
            "write": benchmark.sampler(lambda: window.write(START_OFFSET, 0)),
            "to_device": benchmark.sampler(buf.sync_to_device),
            "from_device": benchmark.sampler(buf.sync_from_device)}, count, warm_up)
    finally:
        buf.freebuffer()
        bare.close()
    return {name: figure.median_s for name, figure in latency.items()}


def bursts(window, words, rounds):
    """Medians for ``words`` words read and written singly, as a block and as a batch."""
    reads, writes = window.batch(), window.batch()
    for index in range(words):
        reads.read(4 * index)
        writes.write(WRITE_OFFSET + 4 * index, 0)
    zeros = [0] * words

    def single_reads():
        for index in range(words):
            window.read(4 * index)

    def single_writes():
        for index in range(words):
            window.write(WRITE_OFFSET + 4 * index, 0)

    return interleaved_medians({
        "read singles": single_reads,
        "read block": lambda: window.read_block(0, words),
        "read batch": reads.run,
        "write singles": single_writes,
        "write block": lambda: window.write_block(WRITE_OFFSET, zeros),
        "write batch": writes.run}, rounds)


def handshake(window, rounds):
    """Medians of start / wait for status / read result, as single calls
    (the wait a loop of reads) and as one batch (the wait a poll step)."""
    batch = (window.batch().write(START_OFFSET, 0)
             .poll(0, 0xFFFFFFFF, VIRTIO_MAGIC).read(RESULT_OFFSET))

    def single_calls():
        window.write(START_OFFSET, 0)
        while window.read(0) != VIRTIO_MAGIC:
            pass
        window.read(RESULT_OFFSET)

    return interleaved_medians({"singles": single_calls, "batch": batch.run}, rounds)


def measure(address, count, warm_up, rounds, word_counts):
    with pynq_remote.connect(address) as device:
        window = pynq_remote.MMIO(VIRTIO_MMIO, WINDOW_BYTES, device=device)
        calls = per_call(device, window, count, warm_up)
        burst = {words: bursts(window, words, rounds) for words in word_counts}
        shake = handshake(window, rounds)
    return calls, burst, shake


def report(address, loads, calls, burst, shake):
    e = calls["empty"]
    print(f"emulated target {address}; load average {loads[0]:.1f} before, "
          f"{loads[1]:.1f} after")
    for key, label in (("empty", "(e) empty RPC (DeviceService.Echo)"),
                       ("read", "(r) MMIO.read"),
                       ("write", "(w) MMIO.write"),
                       ("to_device", f"(s) {BUFFER_BYTES} B sync_to_device"),
                       ("from_device", f"(f) {BUFFER_BYTES} B sync_from_device")):
        print(f"{label:38} {calls[key] * 1e3:8.2f} ms   x{calls[key] / e:5.2f} of (e)")
    print("words  singles / block / batch reads (ms)   singles / block / batch writes (ms)"
          "   singles/block  singles/batch (reads; writes)")
    for words, m in burst.items():
        print(f"{words:5}  {m['read singles'] * 1e3:8.2f} {m['read block'] * 1e3:7.2f} "
              f"{m['read batch'] * 1e3:7.2f}        "
              f"{m['write singles'] * 1e3:8.2f} {m['write block'] * 1e3:7.2f} "
              f"{m['write batch'] * 1e3:7.2f}        "
              f"{m['read singles'] / m['read block']:6.1f} "
              f"{m['read singles'] / m['read batch']:6.1f};"
              f" {m['write singles'] / m['write block']:6.1f} "
              f"{m['write singles'] / m['write batch']:6.1f}")
    print(f"handshake (write, wait, read): single calls {shake['singles'] * 1e3:.2f} ms, "
          f"one batch with a poll {shake['batch'] * 1e3:.2f} ms, "
          f"ratio {shake['singles'] / shake['batch']:.1f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=500,
                        help="calls timed for each of (e), (r), (w), (s), (f)")
    parser.add_argument("--warm-up", type=int, default=benchmark.WARM_UP_CALLS,
                        help="calls of each of (e) to (f) before the timed ones")
    parser.add_argument("--rounds", type=int, default=15,
                        help="times each burst and the handshake are timed")
    parser.add_argument("--words", default="1,2,4,16,64",
                        help="comma-separated burst lengths")
    parser.add_argument("--device", help="measure this (already running) emulated "
                                         "target instead of booting one")
    args = parser.parse_args()
    word_counts = [int(words) for words in args.words.split(",")]
    loads = [os.getloadavg()[0]]
    if args.device:
        figures = measure(args.device, args.count, args.warm_up, args.rounds, word_counts)
        address = args.device
    else:
        with tempfile.TemporaryDirectory(prefix="bench-emulated-") as folder:
            with emulate.boot(folder) as emulator:
                address = emulator.address
                figures = measure(address, args.count, args.warm_up, args.rounds,
                                  word_counts)
    loads.append(os.getloadavg()[0])
    report(address, loads, *figures)


if __name__ == "__main__":
    main()
