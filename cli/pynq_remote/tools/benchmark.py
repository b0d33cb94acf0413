"""Measuring a device: MMIO latency and buffer throughput.

One implementation for ``pynq-remote bench`` and the scripts in bench/::

    from pynq_remote.tools import benchmark
    report = benchmark.run(device, reads=2000, buffer_bytes=16 << 20)
    print(report.mmio_read.median_s, report.read_vs_health, report.write_mb_s)
"""

import dataclasses
import statistics
import time
from typing import Optional

from grpc_health.v1 import health_pb2, health_pb2_grpc

from ..board.buffer import allocate
from ..board.mmio import MMIO
from ..connection import channel
from ..errors import PynqRemoteUserError
from ..v1 import device_pb2, device_pb2_grpc
from . import linktest

WARM_UP_CALLS = 200
# Reads and health checks alternate in blocks this long, so drift in the
# machine's load hits both alike.
INTERLEAVE_CALLS = 100


@dataclasses.dataclass(frozen=True)
class Latency:
    """Per-call latency over ``count`` calls, in seconds."""

    median_s: float
    p99_s: float
    count: int

    @classmethod
    def of(cls, samples):
        ordered = sorted(samples)
        p99_index = min(len(ordered) - 1, int(0.99 * len(ordered)))
        return cls(statistics.median(ordered), ordered[p99_index], len(ordered))


@dataclasses.dataclass(frozen=True)
class Report:
    """What ``pynq-remote bench`` prints."""

    address: str
    mmio_address: int
    health: Latency
    mmio_read: Latency
    buffer_bytes: int
    write_mb_s: Optional[float]  # None: the board has no buffer memory
    read_mb_s: Optional[float]

    @property
    def read_vs_health(self):
        """An MMIO read's median over a bare health check's (bench/mmio.py's b/a)."""
        return self.mmio_read.median_s / self.health.median_s

    def as_dict(self):
        return {**dataclasses.asdict(self), "read_vs_health": self.read_vs_health}


def call_seconds(function, count):
    """The time of each of ``count`` calls of ``function``."""
    samples = []
    for _ in range(count):
        start = time.perf_counter()
        function()
        samples.append(time.perf_counter() - start)
    return samples


def median_seconds(function, rounds, repeat):
    """Median over ``rounds`` of the mean time of ``repeat`` calls."""
    return statistics.median(sum(call_seconds(function, repeat)) / repeat
                             for _ in range(rounds))


def best_seconds(function, repeat):
    """The fastest of ``repeat`` calls."""
    return min(call_seconds(function, repeat))


def interleaved_seconds(functions, repeat):
    """``{name: the times of repeat calls}`` of ``functions`` (``{name:
    function}``), called in turns so that drift in the machine's load hits
    all alike."""
    samples = {name: [] for name in functions}
    for _ in range(repeat):
        for name, function in functions.items():
            samples[name] += call_seconds(function, 1)
    return samples


class BareCalls:
    """A channel of its own, without the library's call wrapper: the floors
    an MMIO read is compared with. ``health()`` is a gRPC health check,
    ``empty()`` the link test's empty RPC (``DeviceService.Echo``)."""

    def __init__(self, address):
        self._channel = channel.open_channel(address)
        self._health = health_pb2_grpc.HealthStub(self._channel).Check
        self._echo = device_pb2_grpc.DeviceServiceStub(self._channel).Echo
        self._health_request = health_pb2.HealthCheckRequest()
        self._echo_request = device_pb2.EchoRequest()

    def health(self):
        self._health(self._health_request, timeout=channel.DEFAULT_TIMEOUT_S)

    def empty(self):
        self._echo(self._echo_request, timeout=channel.DEFAULT_TIMEOUT_S)

    def close(self):
        self._channel.close()


def sampler(function):
    """``samples(n)``: the time of each of ``n`` calls of ``function``."""
    return lambda count: call_seconds(function, count)


def interleaved_latency(samplers, count, warm_up=WARM_UP_CALLS):
    """``{name: Latency}`` over ``count`` calls of each of ``samplers``
    (``{name: samples(n)}``, see ``sampler``), after ``warm_up`` calls of
    each, taken in turns of ``INTERLEAVE_CALLS`` so that drift in the
    machine's load hits all alike."""
    for samples in samplers.values():
        samples(warm_up)
    taken = {name: [] for name in samplers}
    for start in range(0, count, INTERLEAVE_CALLS):
        block = min(INTERLEAVE_CALLS, count - start)
        for name, samples in samplers.items():
            taken[name] += samples(block)
    return {name: Latency.of(samples) for name, samples in taken.items()}


def read_latency(device, mmio_address, count):
    """(health check, 32-bit MMIO read at ``mmio_address``) ``Latency`` over
    ``count`` calls each, after a warm-up, interleaved."""
    register = MMIO(mmio_address, 4, device=device)
    bare = BareCalls(device.address)
    try:
        latency = interleaved_latency(
            {"health": sampler(bare.health), "read": sampler(register.read)}, count)
    finally:
        bare.close()
    return latency["health"], latency["read"]


def burst_seconds(device, mmio_address, words, rounds):
    """Seconds for ``words`` 32-bit words read singly, as one block read and
    as one batch: ``(singles, block, batch)``."""
    region = MMIO(mmio_address, 4 * words, device=device)
    batch = region.batch()
    for index in range(words):
        batch.read(4 * index)

    def single_reads():
        for index in range(words):
            region.read(4 * index)

    singles = median_seconds(single_reads, 3, 1)
    block = median_seconds(lambda: region.read_block(0, words), rounds, 5)
    batched = median_seconds(batch.run, rounds, 2)
    return singles, block, batched


def warm_up_transfers(device):
    """Makes the one-time allocations (session, channels, stream buffers)."""
    with allocate(4096, "u1", device=device) as buf:
        buf.sync_to_device()
        buf.sync_from_device()
    linktest.upload_seconds(device, 4096)
    linktest.download_seconds(device, 4096)


def transfer_repeats(nbytes):
    """How many times a transfer of ``nbytes`` is timed: more for small ones."""
    return max(2, min(20, (64 << 20) // nbytes))


def buffer_seconds(buf, repeat):
    """Best seconds of ``sync_to_device`` and of ``sync_from_device`` of ``buf``."""
    return best_seconds(buf.sync_to_device, repeat), best_seconds(buf.sync_from_device,
                                                                   repeat)


def link_seconds(device, nbytes, repeat):
    """Best seconds of a raw byte stream of ``nbytes`` up and down (link-test RPCs)."""
    return (best_seconds(lambda: linktest.upload_seconds(device, nbytes), repeat),
            best_seconds(lambda: linktest.download_seconds(device, nbytes), repeat))


def buffer_throughput(device, nbytes):
    """(write, read) MB/s of a buffer of ``nbytes`` synced to and from the device."""
    warm_up_transfers(device)
    with allocate(nbytes, "u1", device=device) as buf:
        buf[:] = 0xA5
        to_device, from_device = buffer_seconds(buf, transfer_repeats(nbytes))
    return nbytes / to_device / 1e6, nbytes / from_device / 1e6


def default_mmio_address(device_info):
    """The first MMIO window's base: the register ``bench`` reads by default."""
    if not device_info.mmio_windows:
        raise PynqRemoteUserError("the board has no MMIO windows to read: load a "
                                  "design first (pynq-remote deploy FILE)")
    return device_info.mmio_windows[0].base_address


def run(device, reads=2000, buffer_bytes=16 << 20, mmio_address=None):
    """Measures ``device``: MMIO read latency against a bare health check, and
    buffer throughput (skipped on a board without buffer memory)."""
    device_info = device.info()
    if mmio_address is None:
        mmio_address = default_mmio_address(device_info)
    health, mmio_read = read_latency(device, mmio_address, reads)
    write_mb_s = read_mb_s = None
    if "buffers" in device_info.capabilities:
        write_mb_s, read_mb_s = buffer_throughput(device, buffer_bytes)
    return Report(device.address, mmio_address, health, mmio_read, buffer_bytes,
                  write_mb_s, read_mb_s)
