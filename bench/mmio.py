#!/usr/bin/env python3
"""MMIO latency against one sim server, measured side by side in one run.

(a) a bare gRPC health check from Python, (b) one 32-bit read through
pynq_remote.MMIO, (c) N single reads, (d) the same N words as one block read
and as one batch. Prints each figure and the ratios b/a and c/d.
Usage: bench/mmio.py [--words N] [--rounds R] [--device HOST:PORT]
"""

import argparse
import statistics
import time

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

import pynq_remote
from pynq_remote.server import LocalServer

BRAM = 0xA0100000


def median_seconds(function, rounds, repeat):
    """Median over ``rounds`` of the mean time of ``repeat`` calls."""
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(repeat):
            function()
        samples.append((time.perf_counter() - start) / repeat)
    return statistics.median(samples)


def measure(address, words, rounds):
    bare_channel = grpc.insecure_channel(address)
    health = health_pb2_grpc.HealthStub(bare_channel)
    request = health_pb2.HealthCheckRequest()
    device = pynq_remote.connect(address)
    bram = pynq_remote.MMIO(BRAM, 4 * words, device=device)
    batch = bram.batch()
    for index in range(words):
        batch.read(4 * index)

    def single_reads():
        for index in range(words):
            bram.read(4 * index)

    # Warm both channels up before measuring.
    for _ in range(200):
        health.Check(request)
        bram.read()
    figures = {}
    for _ in range(3):  # interleave so drift hits (a) and (b) alike
        figures.setdefault("a", []).append(
            median_seconds(lambda: health.Check(request), rounds, 200))
        figures.setdefault("b", []).append(median_seconds(bram.read, rounds, 200))
    a = min(figures["a"])
    b = min(figures["b"])
    c = median_seconds(single_reads, 3, 1)
    d_block = median_seconds(lambda: bram.read_block(0, words), rounds, 5)
    d_batch = median_seconds(batch.run, rounds, 2)
    device.close()
    bare_channel.close()
    return a, b, c, d_block, d_batch


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=4096)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--device", help="measure this server instead of a local sim")
    args = parser.parse_args()
    if args.device:
        figures = measure(args.device, args.words, args.rounds)
    else:
        with LocalServer() as server:
            figures = measure(server.address, args.words, args.rounds)
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
