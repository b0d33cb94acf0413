#!/usr/bin/env python3
"""MMIO latency against one sim server, measured side by side in one run.

(a) a bare gRPC health check from Python, (b) one 32-bit read through
pynq_remote.MMIO (medians per call, interleaved), (c) N single reads, (d)
the same N words as one block read and as one batch. Prints each figure and
the ratios b/a and c/d. The measuring is pynq_remote.tools.benchmark's, as in
`pynq-remote bench`.
Usage: bench/mmio.py [--words N] [--count C] [--rounds R] [--device HOST:PORT]
"""

import argparse

import pynq_remote
from pynq_remote.tools import benchmark
from pynq_remote.tools.server import LocalServer

BRAM = 0xA0100000


def measure(address, words, count, rounds):
    device = pynq_remote.connect(address)
    try:
        health, read = benchmark.read_latency(device, BRAM, count)
        c, d_block, d_batch = benchmark.burst_seconds(device, BRAM, words, rounds)
    finally:
        device.close()
    return health.median_s, read.median_s, c, d_block, d_batch


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=4096)
    parser.add_argument("--count", type=int, default=4000,
                        help="health checks and single reads timed for (a) and (b)")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--device", help="measure this server instead of a local sim")
    args = parser.parse_args()
    if args.device:
        figures = measure(args.device, args.words, args.count, args.rounds)
    else:
        with LocalServer() as server:
            figures = measure(server.address, args.words, args.count, args.rounds)
    a, b, c, d_block, d_batch = figures
    n = args.words
    print(f"(a) bare gRPC health check        {a * 1e6:10.1f} us")
    print(f"(b) one 32-bit MMIO read          {b * 1e6:10.1f} us")
    print(f"(c) {n} single reads          {c * 1e3:10.2f} ms")
    print(f"(d) {n} words, one block read {d_block * 1e3:10.2f} ms")
    print(f"(d) {n} words, one batch      {d_batch * 1e3:10.2f} ms")
    print(f"b/a        = {b / a:6.2f}   (target <= 1.3)")
    print(f"c/d block  = {c / d_block:6.1f}   (target >= 100)")
    print(f"c/d batch  = {c / d_batch:6.1f}")


if __name__ == "__main__":
    main()
