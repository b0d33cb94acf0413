#!/usr/bin/env python3
"""MMIO latency against one sim server, measured side by side in one run.

Per call, medians, interleaved in turns of 100 calls: (e) the link test's
empty RPC and (a) a gRPC health check, both bare stubs on a channel of
their own; (b) one 32-bit read through pynq_remote.MMIO; (p) the official
pynq 4.0.0 client's ``pynq.MMIO.read`` of the same word through the
server's PYNQ.remote compatibility services, run by the .venv-pynq
interpreter (scripts/install-pynq-venv.sh) in a child process. Then (c) N
single reads against (d) the same N words as one block read and as one
batch. Prints each figure, the ratios and their targets (issue #21). The
measuring is pynq_remote.tools.benchmark's, as in `pynq-remote bench`.
Usage: bench/mmio.py [--words N] [--count C] [--rounds R] [--device HOST:7967]
"""

import argparse
import json
import os
import pathlib
import random
import subprocess

import pynq_remote
from pynq_remote.errors import PynqRemoteUserError
from pynq_remote.tools import benchmark
from pynq_remote.tools.server import LocalServer

BRAM = 0xA0100000
PYNQ_PORT = 7967  # pynq 4.0 dials this port of the hosts in PYNQ_REMOTE_DEVICES
TOP = pathlib.Path(__file__).resolve().parents[1]

# Runs in .venv-pynq: for each count N read from stdin, times N reads and
# prints their durations as one JSON line.
PYNQ_READER = f"""
import json, sys, time
from pynq import MMIO
register = MMIO({BRAM:#x}, 4)
for line in sys.stdin:
    samples = []
    for _ in range(int(line)):
        start = time.perf_counter()
        register.read(0)
        samples.append(time.perf_counter() - start)
    print(json.dumps(samples), flush=True)
"""


class PynqReader:
    """pynq 4.0.0's ``MMIO.read`` in a child process, driven in turns."""

    def __init__(self, host):
        python = subprocess.run([TOP / "scripts" / "install-pynq-venv.sh"], check=True,
                                capture_output=True, text=True).stdout.split()[-1]
        env = {k: v for k, v in os.environ.items() if not k.startswith("PYNQ_REMOTE")}
        env["PYNQ_REMOTE_DEVICES"] = host
        self._child = subprocess.Popen([python, "-c", PYNQ_READER], env=env, text=True,
                                       stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def samples(self, count):
        self._child.stdin.write(f"{count}\n")
        self._child.stdin.flush()
        line = self._child.stdout.readline()
        if not line:
            raise RuntimeError(f"the pynq 4.0.0 reader exited ({self._child.wait()})")
        return json.loads(line)

    def close(self):
        self._child.stdin.close()
        self._child.wait(timeout=30)


def measure(address, words, count, rounds, with_pynq):
    device = pynq_remote.connect(address)
    register = pynq_remote.MMIO(BRAM, 4, device=device)
    bare = benchmark.BareCalls(device.address)
    pynq = PynqReader(address.rsplit(":", 1)[0]) if with_pynq else None
    samplers = {"empty": benchmark.sampler(bare.empty),
                "health": benchmark.sampler(bare.health),
                "read": benchmark.sampler(register.read)}
    if pynq:
        samplers["pynq"] = pynq.samples
    try:
        latency = benchmark.interleaved_latency(samplers, count)
        bursts = benchmark.burst_seconds(device, BRAM, words, rounds)
    finally:
        if pynq:
            pynq.close()
        bare.close()
        device.close()
    return {name: figure.median_s for name, figure in latency.items()}, bursts


def compat_server():
    """A sim server with the compatibility services on 127.x.y.z:7967."""
    for _ in range(20):
        host = ".".join(["127"] + [str(random.randrange(1, 255)) for _ in range(3)])
        server = LocalServer(listen=f"{host}:{PYNQ_PORT}",
                             extra_args=["--pynq-remote-compat", "on"])
        try:
            server.start()
        except PynqRemoteUserError:
            continue  # that address is taken
        return server
    raise RuntimeError(f"no free loopback address for port {PYNQ_PORT}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=4096)
    parser.add_argument("--count", type=int, default=4000,
                        help="calls timed for each of (e), (a), (b) and (p)")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--device", help="measure this server instead of a local sim "
                                         "(pynq 4.0 is compared when its port is 7967)")
    parser.add_argument("--without-pynq", action="store_true",
                        help="leave out (p), the pynq 4.0.0 client")
    args = parser.parse_args()
    if args.device:
        with_pynq = not args.without_pynq and args.device.endswith(f":{PYNQ_PORT}")
        figures = measure(args.device, args.words, args.count, args.rounds, with_pynq)
    else:
        server = compat_server()
        try:
            figures = measure(server.address, args.words, args.count, args.rounds,
                              not args.without_pynq)
        finally:
            server.stop()
    report(figures, args.words)


def report(figures, n):
    medians, (c, d_block, d_batch) = figures
    e, a, b, p = (medians.get(name) for name in ("empty", "health", "read", "pynq"))
    print(f"(e) empty RPC (DeviceService.Echo)   {e * 1e6:10.1f} us")
    print(f"(a) gRPC health check                {a * 1e6:10.1f} us")
    print(f"(b) pynq_remote.MMIO.read            {b * 1e6:10.1f} us")
    if p is not None:
        print(f"(p) pynq 4.0.0 MMIO.read (compat)    {p * 1e6:10.1f} us")
    print(f"(c) {n} single reads             {c * 1e3:10.2f} ms")
    print(f"(d) {n} words, one block read    {d_block * 1e3:10.2f} ms")
    print(f"(d) {n} words, one batch         {d_batch * 1e3:10.2f} ms")
    print(f"b/e        = {b / e:6.2f}   (target <= 1.1)")
    print(f"b/a        = {b / a:6.2f}")
    if p is not None:
        print(f"b/p        = {b / p:6.2f}   (target <= 1.0, aim 0.8)")
    print(f"c/d block  = {c / d_block:6.1f}   (target >= 1000)")
    print(f"c/d batch  = {c / d_batch:6.1f}   (target >= 1000)")


if __name__ == "__main__":
    main()
