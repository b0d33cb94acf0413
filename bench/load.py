#!/usr/bin/env python3
"""Load on one server: concurrent clients mixing MMIO, batches, buffer syncs and uploads.

Starts a sim server (or uses --device), then runs --clients clients for
--warmup seconds and again, measured, for --seconds. The clients are
threads of --processes worker processes, each its own pynq_remote Device
with its own session. Every
client loops over a fixed mix of calls: MMIO read, block read, batch
(write, modify, poll, read), a buffer round trip (sync_to_device then
sync_from_device, compared byte for byte) and a bitstream upload of fresh
random content (the server's cache evicts). Prints operations, errors,
p50/p99 latency per kind and overall, and the server's RSS before and after.

With --attacks, runs instead each attack of bench/attacks.py (issue #20)
against a server with an operator and a reader token, and prints the
operator's MMIO read p50/p99 and the server's RSS and descriptors before,
during and after each one.
Usage: bench/load.py [--clients 32] [--seconds 10] [--warmup 3] [--processes 4] [--json]
       bench/load.py --attacks [--json]
"""

import argparse
import hashlib
import json
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from pathlib import Path

import numpy as np

import attacks
import pynq_remote
from pynq_remote.connection.credentials import Credentials
from pynq_remote.design.deploy import upload
from pynq_remote.security.pki import new_token
from pynq_remote.tools.server import LocalServer

BRAM = 0xA0100000          # sim-board.textproto: axi_bram_ctrl_0, 64 KiB
HLS_REGS = 0xA0020000      # hls_core_0: a register file
BUFFER_BYTES = 256 << 10
UPLOAD_BYTES = 64 << 10
KINDS = ("mmio_read", "read_block", "batch", "buffer_sync", "upload")
# Each client draws its next call from this mix.
WEIGHTS = (8, 2, 4, 2, 1)


class RandomBitstream:
    """What deploy.upload needs of a bitstream: bytes and their sha256."""

    def __init__(self, rng, size):
        self._data = rng.randbytes(size)
        self.sha256 = hashlib.sha256(self._data).hexdigest()

    def fpga_manager_bin(self):
        return self._data


class Client:
    """One Device and the state its calls use; run() loops until `stop`."""

    def __init__(self, address, index, lease):
        self.index = index
        self.rng = random.Random(index)
        self.device = pynq_remote.connect(address, lease=lease)
        # Each client its own words of the BRAM and its own register.
        self.bram = pynq_remote.MMIO(BRAM + 256 * index, 256, device=self.device)
        self.reg = pynq_remote.MMIO(HLS_REGS + 0x100 + 4 * index, 4, device=self.device)
        self.buffer = self.device.allocate(BUFFER_BYTES, "u1")
        self.samples = {kind: [] for kind in KINDS}
        self.errors = []

    def mmio_read(self):
        self.bram.read(4 * self.rng.randrange(64))

    def read_block(self):
        words = self.bram.read_block(0, 64)
        if len(words) != 64:
            raise AssertionError(f"read_block returned {len(words)} words")

    def batch(self):
        value = self.rng.getrandbits(16)
        values = (self.reg.batch().write(0, value).modify(0, 0xFF0000, 0x5A0000)
                  .poll(0, 0xFFFFFF, 0x5A0000 | value, timeout=1.0).read(0).run())
        if values[-1] != 0x5A0000 | value:
            raise AssertionError(f"batch read {values[-1]:#x}, wrote {value:#x}")

    def buffer_sync(self):
        expected = np.frombuffer(self.rng.randbytes(BUFFER_BYTES), np.uint8)
        self.buffer[:] = expected
        self.buffer.sync_to_device()
        self.buffer[:] = 0
        self.buffer.sync_from_device()
        if not np.array_equal(self.buffer, expected):
            raise AssertionError("buffer came back different")

    def upload(self):
        sent = upload(self.device, RandomBitstream(self.rng, UPLOAD_BYTES))
        if sent != UPLOAD_BYTES:
            raise AssertionError(f"upload sent {sent} of {UPLOAD_BYTES} bytes")

    def run(self, stop):
        calls = [getattr(self, kind) for kind in KINDS]
        while not stop.is_set():
            kind = self.rng.choices(range(len(KINDS)), WEIGHTS)[0]
            start = time.perf_counter()
            try:
                calls[kind]()
            except Exception as error:  # noqa: BLE001 - every failure is counted
                self.errors.append(f"{KINDS[kind]}: {type(error).__name__}: {error}")
                continue
            self.samples[KINDS[kind]].append(time.perf_counter() - start)

    def close(self):
        self.buffer.freebuffer()
        self.device.close()


def worker(address, first, count, lease):
    """Runs `count` clients in threads. Reads commands on stdin: "run SECONDS"
    runs every client at once for that long and prints their samples and
    errors as one JSON line; "close" closes them."""
    clients = [Client(address, first + i, lease) for i in range(count)]
    print("ready", flush=True)
    for command in sys.stdin:
        if command.strip() == "close":
            break
        seconds = float(command.split()[1])
        for client in clients:
            client.samples = {kind: [] for kind in KINDS}
            client.errors = []
        stop = threading.Event()
        threads = [threading.Thread(target=client.run, args=(stop,)) for client in clients]
        for thread in threads:
            thread.start()
        time.sleep(seconds)
        stop.set()
        for thread in threads:
            thread.join()
        print(json.dumps({"samples": {k: sum((c.samples[k] for c in clients), [])
                                      for k in KINDS},
                          "errors": sum((c.errors for c in clients), [])}), flush=True)
    for client in clients:
        client.close()


def rss_bytes(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError(f"no VmRSS for pid {pid}")


def percentile(samples, fraction):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


def run_load(address, server_pid, clients=32, seconds=10.0, processes=4, lease=10.0,
             warmup=3.0):
    """Runs the load against `address`; returns the figures as a dict.

    Every client runs for `warmup` seconds first (errors count, latencies
    do not), so that the server has made its threads and caches. RSS is that
    of `server_pid` (None: not measured), read after the warm-up and after
    the run, both times with every client connected and holding its buffer.
    An operation is one library call: buffer_sync is two streams (to and
    from the board), upload two RPCs (HasBitstream, UploadBitstream), the
    others one RPC.
    """
    per_process = [clients // processes + (i < clients % processes) for i in range(processes)]
    workers, first = [], 0
    for count in per_process:
        workers.append(subprocess.Popen(
            [sys.executable, __file__, "--worker", address, str(first), str(count), str(lease)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True))
        first += count

    def run_all(duration):
        for process in workers:
            process.stdin.write(f"run {duration}\n")
            process.stdin.flush()
        return [json.loads(process.stdout.readline()) for process in workers]

    try:
        for process in workers:
            line = process.stdout.readline()
            if line.strip() != "ready":
                raise RuntimeError(f"a load worker did not start: {line!r}")
        warmup_errors = sum((r["errors"] for r in run_all(warmup)), [])
        rss_before = rss_bytes(server_pid) if server_pid else None
        start = time.perf_counter()
        results = run_all(seconds)
        elapsed = time.perf_counter() - start
        rss_after = rss_bytes(server_pid) if server_pid else None
        for process in workers:
            process.stdin.write("close\n")
            process.stdin.flush()
        for process in workers:
            if process.wait(30) != 0:
                raise RuntimeError(f"a load worker exited with {process.returncode}")
    finally:
        for process in workers:
            if process.poll() is None:
                process.kill()
                process.wait()
    samples = {kind: sum((r["samples"][kind] for r in results), []) for kind in KINDS}
    every = sum(samples.values(), [])
    errors = warmup_errors + sum((r["errors"] for r in results), [])
    return {
        "clients": clients, "processes": processes, "seconds": round(elapsed, 2),
        "warmup_seconds": warmup,
        "calls": len(every), "errors": len(errors),
        "error_examples": errors[:5],
        "calls_per_second": round(len(every) / elapsed, 1),
        "p50_ms": round(percentile(every, 0.50) * 1e3, 3),
        "p99_ms": round(percentile(every, 0.99) * 1e3, 3),
        "kinds": {kind: {"calls": len(s),
                         "p50_ms": round(percentile(s, 0.50) * 1e3, 3),
                         "p99_ms": round(percentile(s, 0.99) * 1e3, 3),
                         "mean_ms": round(statistics.fmean(s) * 1e3, 3) if s else 0.0}
                  for kind, s in samples.items()},
        "server_rss_before_bytes": rss_before,
        "server_rss_after_bytes": rss_after,
    }


def print_report(figures):
    print(f"{figures['clients']} clients in {figures['processes']} processes for "
          f"{figures['seconds']} s (after {figures['warmup_seconds']} s of warm-up): "
          f"{figures['calls']} operations ({figures['calls_per_second']}/s), "
          f"{figures['errors']} errors")
    for example in figures["error_examples"]:
        print(f"  error: {example}")
    print(f"{'kind':<12} {'ops':>7} {'p50 ms':>8} {'p99 ms':>8}")
    for kind, f in figures["kinds"].items():
        print(f"{kind:<12} {f['calls']:>7} {f['p50_ms']:>8.2f} {f['p99_ms']:>8.2f}")
    print(f"{'all':<12} {figures['calls']:>7} "
          f"{figures['p50_ms']:>8.2f} {figures['p99_ms']:>8.2f}")
    before, after = figures["server_rss_before_bytes"], figures["server_rss_after_bytes"]
    if before:
        print(f"server RSS before {before / 2**20:.1f} MiB, after {after / 2**20:.1f} MiB "
              f"({(after - before) / before:+.1%})")


# The attacks --attacks runs: name, and how to start it given the server's
# address and the reader's token.
ATTACKS = (
    ("1100 idle sockets from 8 addresses",
     lambda address, reader: attacks.idle_sockets(address, 1100, sources=8)),
    ("200 reflection streams, no credentials",
     lambda address, reader: attacks.reflection_streams(address, 200)),
    ("200 health watches, no credentials",
     lambda address, reader: attacks.health_watches(address, 200)),
    ("16 busy polls of a reader (interval 0)",
     lambda address, reader: attacks.busy_polls(address, reader, 16)),
    ("a reader's session flood",
     lambda address, reader: attacks.session_flood(address, reader)),
)
# Seconds after an attack before the "after" figures: the server's self
# check trims freed memory every 5 s.
SETTLE_S = 6


def measure(operator, pid):
    return {**attacks.operator_latency(operator), **attacks.server_stats(pid)}


def run_attacks():
    """Each attack of ATTACKS, then a burst of 500 connections; returns the
    figures before, during and after each."""
    operator_token, operator_line = new_token("olga", "operator")
    reader_token, reader_line = new_token("rita", "reader")
    with tempfile.TemporaryDirectory() as folder:
        tokens = Path(folder) / "tokens"
        tokens.write_text(f"{operator_line}\n{reader_line}\n")
        with LocalServer(extra_args=["--tokens", str(tokens)]) as server:
            pid = server.process.pid
            operator = pynq_remote.connect(server.address,
                                           credentials=Credentials(token=operator_token))
            figures = []
            for name, start in ATTACKS:
                before = measure(operator, pid)
                with start(server.address, reader_token) as result:
                    time.sleep(1)
                    during = measure(operator, pid)
                time.sleep(SETTLE_S)
                figures.append({"attack": name, "result": result, "before": before,
                                "during": during, "after": measure(operator, pid)})
            before = measure(operator, pid)
            result = attacks.connection_burst(server.address, 500)
            during = measure(operator, pid)
            time.sleep(SETTLE_S)
            figures.append({"attack": "500 connections, 50 at once", "result": result,
                            "before": before, "during": during,
                            "after": measure(operator, pid)})
            operator.close()
    return figures


def print_attacks(figures):
    print(f"{'attack':<40} {'when':<7} {'p50 ms':>7} {'p99 ms':>7} {'RSS MiB':>8} {'fds':>5}")
    for attack in figures:
        for when in ("before", "during", "after"):
            f = attack[when]
            print(f"{attack['attack'] if when == 'before' else '':<40} {when:<7} "
                  f"{f['p50_ms']:>7.2f} {f['p99_ms']:>7.2f} "
                  f"{f['rss_bytes'] / 2**20:>8.1f} {f['descriptors']:>5}")
        print(f"{'':<40} result  {json.dumps(attack['result'])}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--processes", type=int, default=4)
    parser.add_argument("--warmup", type=float, default=3.0,
                        help="seconds of load before the measured run")
    parser.add_argument("--device", help="load this server instead of a local sim "
                                         "(its RSS is then not measured)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--attacks", action="store_true",
                        help="run the attacks of bench/attacks.py instead of the load")
    parser.add_argument("--worker", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.attacks:
        figures = run_attacks()
        if args.json:
            print(json.dumps(figures))
        else:
            print_attacks(figures)
        return
    if args.worker:
        address, first, count, lease = args.worker
        try:
            worker(address, int(first), int(count), float(lease))
        except Exception:
            traceback.print_exc()
            sys.exit(1)
        return
    if args.device:
        figures = run_load(args.device, None, args.clients, args.seconds, args.processes,
                           warmup=args.warmup)
    else:
        # A small cache, so uploads keep evicting.
        with LocalServer(extra_args=["--cache-bytes", str(8 << 20)]) as server:
            figures = run_load(server.address, server.process.pid, args.clients,
                               args.seconds, args.processes, warmup=args.warmup)
    if args.json:
        print(json.dumps(figures))
    else:
        print_report(figures)


if __name__ == "__main__":
    main()
