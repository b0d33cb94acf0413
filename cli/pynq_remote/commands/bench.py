"""``pynq-remote bench``: MMIO latency and buffer throughput of a board."""

import click

from ..tools import benchmark
from .options import INTEGER, device_option, json_option


@click.command()
@click.option("-c", "--count", type=click.IntRange(1), default=2000, show_default=True,
              help="MMIO reads (and as many health checks) to time.")
@click.option("--size-mib", type=click.IntRange(1, 1024), default=16, show_default=True,
              help="Size of the buffer synced to and from the board.")
@click.option("--address", type=INTEGER, metavar="ADDRESS",
              help="Register to read (default: the first MMIO window's base); "
                   "pick one that reading does not change.")
@device_option
@json_option
@click.pass_obj
def bench(ctx, count, size_mib, address):
    """Measure MMIO read latency and buffer throughput of the board.

    MMIO reads: median and p99, and the ratio to a bare gRPC health check
    timed alongside. Buffers: write (sync_to_device) and read
    (sync_from_device) in MB/s. The same measuring as bench/mmio.py and
    bench/buffers.py.
    """
    report = benchmark.run(ctx.device, reads=count, buffer_bytes=size_mib << 20,
                           mmio_address=address)
    ctx.show(report.as_dict(), lambda console: _render(console, report))


def _render(console, report):
    read, health = report.mmio_read, report.health
    console.print(f"{report.address}: MMIO read at 0x{report.mmio_address:x}, "
                  f"{read.count} reads")
    console.print(f"MMIO read      median {read.median_s * 1e6:8.1f} us   "
                  f"p99 {read.p99_s * 1e6:8.1f} us")
    console.print(f"health check   median {health.median_s * 1e6:8.1f} us   "
                  f"p99 {health.p99_s * 1e6:8.1f} us")
    console.print(f"read / health  {report.read_vs_health:.2f}")
    if report.write_mb_s is None:
        console.print("buffers        none on this board")
        return
    mib = report.buffer_bytes >> 20
    console.print(f"buffer {mib} MiB  write {report.write_mb_s:.0f} MB/s   "
                  f"read {report.read_mb_s:.0f} MB/s")
