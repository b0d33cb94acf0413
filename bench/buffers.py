#!/usr/bin/env python3
"""Buffer sync throughput and host memory, side by side with a raw gRPC stream.

For each size, in a fresh process (so peak RSS belongs to that size alone):
first the peak RSS growth over the process's baseline while a buffer is
allocated and synced to and from the device as often as it is timed; then,
in turns (buffer, raw, buffer, raw, ...), sync_to_device and
sync_from_device against the link-test RPCs streaming the same number of
bytes to and from the same server in chunks of the same size. Prints the
median MB/s of the turns (at least 9), the ratio buffer/raw of the medians
and of the best turns, and the peak RSS growth as a multiple of the buffer
size. The timing is pynq_remote.tools.benchmark's, as in `pynq-remote
bench`.

Peak RSS growth is given three ways, each in a fresh process: "cold", over
a baseline taken after a 4 KiB warm-up; "warm", over a baseline taken after
the raw stream moved the same size up and down once (gRPC's own buffers for
messages of a chunk's size are then allocated: what is left is the buffer
path's); "raw", the growth of the raw stream alone (no buffer), moving the
size up and down as often, over the 4 KiB baseline.
Usage: bench/buffers.py [--sizes-mib 1,16,256] [--device HOST:PORT]
"""

import argparse
import json
import resource
import statistics
import subprocess
import sys

import pynq_remote
from pynq_remote.tools import benchmark, linktest
from pynq_remote.tools.server import LocalServer

# Turns timed at least: a best of 2-4 swung by 0.3 between runs.
TURNS = 9


def peak_rss_bytes():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def raw_growth(address, size):
    """Runs in a child process: peak RSS growth of the raw stream alone."""
    device = pynq_remote.connect(address)
    benchmark.warm_up_transfers(device)
    baseline = peak_rss_bytes()
    for _ in range(benchmark.transfer_repeats(size)):
        linktest.upload_seconds(device, size)
        linktest.download_seconds(device, size)
    growth = peak_rss_bytes() - baseline
    device.close()
    return {"rss_growth_bytes": growth}


def warm_growth(address, size):
    """Runs in a child process: peak RSS growth of the buffer path beyond a
    channel that has already streamed ``size`` bytes each way."""
    device = pynq_remote.connect(address)
    benchmark.warm_up_transfers(device)
    linktest.upload_seconds(device, size)
    linktest.download_seconds(device, size)
    baseline = peak_rss_bytes()
    buf = pynq_remote.allocate(size, "u1", device=device)
    buf[:] = 0xA5
    benchmark.buffer_seconds(buf, benchmark.transfer_repeats(size))
    growth = peak_rss_bytes() - baseline
    buf.freebuffer()
    device.close()
    return {"rss_growth_bytes": growth}


def measure(address, size):
    """Runs in a child process; returns the figures for one size."""
    device = pynq_remote.connect(address)
    benchmark.warm_up_transfers(device)
    baseline = peak_rss_bytes()
    repeat = benchmark.transfer_repeats(size)
    buf = pynq_remote.allocate(size, "u1", device=device)
    buf[:] = 0xA5
    benchmark.buffer_seconds(buf, repeat)
    peak = peak_rss_bytes()
    samples = benchmark.interleaved_seconds({
        "to_device_s": buf.sync_to_device,
        "raw_up_s": lambda: linktest.upload_seconds(device, size),
        "from_device_s": buf.sync_from_device,
        "raw_down_s": lambda: linktest.download_seconds(device, size)}, max(repeat, TURNS))
    assert (buf == 0xA5).all()
    buf.freebuffer()
    device.close()
    return {"size": size, "rss_growth_bytes": peak - baseline,
            "median": {name: statistics.median(times) for name, times in samples.items()},
            "best": {name: min(times) for name, times in samples.items()}}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes-mib", default="1,16,256")
    parser.add_argument("--device", help="measure this server instead of a local sim")
    parser.add_argument("--measure", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--what", default="measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        child = {"measure": measure, "warm": warm_growth, "raw": raw_growth}[args.what]
        print(json.dumps(child(args.device, args.measure)))
        return
    if args.device:
        report(args.device, args.sizes_mib)
    else:
        with LocalServer() as server:
            report(server.address, args.sizes_mib)


def run_child(address, size, what):
    child = subprocess.run([sys.executable, __file__, "--device", address,
                            "--measure", str(size), "--what", what],
                           check=True, capture_output=True, text=True)
    return json.loads(child.stdout)


def report(address, sizes_mib):
    print(f"{'size':>8} {'to device':>10} {'raw up':>10} {'ratio':>6} {'best':>5}  "
          f"{'from device':>11} {'raw down':>10} {'ratio':>6} {'best':>5}  "
          f"{'peak RSS growth':>16}  {'warm':>6} {'raw':>6}")
    for mib in (int(s) for s in sizes_mib.split(",")):
        f = run_child(address, mib << 20, "measure")
        warm = run_child(address, mib << 20, "warm")["rss_growth_bytes"] / f["size"]
        raw = run_child(address, mib << 20, "raw")["rss_growth_bytes"] / f["size"]
        mb, median, best = f["size"] / 1e6, f["median"], f["best"]
        print(f"{mib:>5} MiB {mb / median['to_device_s']:>6.0f} MB/s "
              f"{mb / median['raw_up_s']:>6.0f} MB/s "
              f"{median['raw_up_s'] / median['to_device_s']:>6.2f} "
              f"{best['raw_up_s'] / best['to_device_s']:>5.2f}  "
              f"{mb / median['from_device_s']:>7.0f} MB/s {mb / median['raw_down_s']:>6.0f} MB/s "
              f"{median['raw_down_s'] / median['from_device_s']:>6.2f} "
              f"{best['raw_down_s'] / best['from_device_s']:>5.2f}  "
              f"{f['rss_growth_bytes'] / f['size']:>6.2f} x size "
              f"({f['rss_growth_bytes'] / (1 << 20):.0f} MiB)  {warm:>6.2f} {raw:>6.2f}")
    print("MB/s and ratio: medians of the turns; best: the ratio of the fastest turns")
    print("peak RSS growth, x size: cold (after a 4 KiB warm-up); warm (after the raw "
          "stream moved the size once each way); raw (the raw stream alone, cold)")
    print("targets (issue #21): ratio >= 0.9 of the raw stream; peak RSS growth "
          "<= 1.25 x size")


if __name__ == "__main__":
    main()
