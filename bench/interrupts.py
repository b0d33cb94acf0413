#!/usr/bin/env python3
"""Interrupt latency on the host, against one sim server, side by side with
a bare MMIO round trip.

Each round arms a wait on the AXI GPIO's interrupt (channel 2 of axi_gpio_0,
through axi_intc_0 to GIC line 121), changes the simulated input, and times
from the change request to the moment the awaiting coroutine wakes: the
input RPC, the model, the server's stream, and the host's handling of the
interrupt controller (IPR read, CIE and IAR). Prints median and p99 of N
events, the stream's lost and duplicated counts, and the ratio to one
MMIO read.
Usage: bench/interrupts.py [--events N] [--device HOST:PORT]
"""

import argparse
import asyncio
import pathlib
import statistics
import sys
import time

import pynq_remote
from pynq_remote.drivers import AxiGPIO
from pynq_remote.board.gpio import set_simulated_axi_gpio_input
from pynq_remote.board.interrupt import watcher_for
from pynq_remote.tools.server import LocalServer

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "tests"))
from sim_interrupt_design import AXI_GPIO_0, LINE, sim_design  # noqa: E402


def percentile(samples, fraction):
    ordered = sorted(samples)
    return ordered[max(0, int(round(fraction * len(ordered))) - 1)]


async def interrupt_latencies(device, events):
    buttons = AxiGPIO(AXI_GPIO_0, device=device, design=sim_design()).channel2
    latencies = []
    for index in range(events):
        waiting = asyncio.ensure_future(buttons.wait_for_interrupt_async())
        await asyncio.sleep(0)
        start = time.perf_counter()
        set_simulated_axi_gpio_input(device, "axi_gpio_0", (index + 1) & 0xF, channel=2)
        await asyncio.wait_for(waiting, 5)
        latencies.append(time.perf_counter() - start)
    return latencies


def mmio_round_trip(device, rounds=1000):
    mmio = pynq_remote.MMIO(0xA0000000, 0x10000, device=device)
    for _ in range(100):
        mmio.read(0x8)
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        mmio.read(0x8)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def measure(address, events):
    with pynq_remote.connect(address) as device:
        asyncio.run(interrupt_latencies(device, 50))      # warm up
        watcher = watcher_for(device)
        before = watcher._counts.get(LINE, 0)
        latencies = asyncio.run(interrupt_latencies(device, events))
        delivered = watcher._counts[LINE] - before
        read = mmio_round_trip(device)
        median = statistics.median(latencies)
        print(f"{events} interrupts: {delivered} events on line {LINE}, "
              f"{watcher.lost} lost, {watcher.duplicated} duplicated")
        print(f"  input change -> coroutine woken: median {median * 1e3:.2f} ms, "
              f"p99 {percentile(latencies, 0.99) * 1e3:.2f} ms, "
              f"max {max(latencies) * 1e3:.2f} ms")
        print(f"  one MMIO read: median {read * 1e3:.3f} ms; interrupt/read "
              f"{median / read:.1f}x")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--device", help="a running sim server (default: start one)")
    args = parser.parse_args()
    if args.device:
        measure(args.device, args.events)
        return
    with LocalServer() as server:
        measure(server.address, args.events)


if __name__ == "__main__":
    main()
