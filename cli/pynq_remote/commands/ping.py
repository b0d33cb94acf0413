"""``pynq-remote ping``: round-trip time of a health check."""

import time

import click

from ..tools import linktest
from .options import device_option, json_option


@click.command()
@click.option("-c", "--count", type=click.IntRange(1), default=4, show_default=True,
              help="Number of round trips.")
@click.option("-i", "--interval", type=click.FloatRange(0), default=0.2,
              show_default=True, help="Seconds between round trips.")
@click.option("--bandwidth", "bandwidth_mib", type=click.IntRange(1, 1024), metavar="MIB",
              help="Also stream MIB mebibytes each way and report MB/s.")
@device_option
@json_option
@click.pass_obj
def ping(ctx, count, interval, bandwidth_mib):
    """Measure the round-trip time (and optionally throughput) to the board."""
    times_ms = []
    for index in range(count):
        if index:
            time.sleep(interval)
        times_ms.append(ctx.device.ping() * 1000)
    result = {
        "address": ctx.device.address,
        "count": count,
        "min_ms": min(times_ms),
        "avg_ms": sum(times_ms) / count,
        "max_ms": max(times_ms),
    }
    if bandwidth_mib:
        nbytes = bandwidth_mib << 20
        result["upload_mb_s"] = nbytes / linktest.upload_seconds(ctx.device, nbytes) / 1e6
        result["download_mb_s"] = (nbytes / linktest.download_seconds(ctx.device, nbytes)
                                   / 1e6)

    def render(console):
        for index, rtt in enumerate(times_ms, 1):
            console.print(f"{ctx.device.address}: seq={index} time={rtt:.3f} ms")
        console.print(f"min/avg/max = {result['min_ms']:.3f}/{result['avg_ms']:.3f}/"
                      f"{result['max_ms']:.3f} ms")
        if bandwidth_mib:
            console.print(f"{bandwidth_mib} MiB each way: upload {result['upload_mb_s']:.1f} "
                          f"MB/s, download {result['download_mb_s']:.1f} MB/s")

    ctx.show(result, render)
