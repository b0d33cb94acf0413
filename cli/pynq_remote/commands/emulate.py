"""``pynq-remote emulate``: a real Linux target in QEMU, no board needed."""

import signal

import click
from rich.console import Console

from .. import emulate as emulation
from .options import json_option


@click.command()
@click.option("--stop", is_flag=True,
              help="Stop the target that another `pynq-remote emulate` started.")
@click.option("--background", is_flag=True,
              help="Exit once the target answers and leave it running (stop it with --stop).")
@click.option("--soc", type=click.Choice(list(emulation.SOCS)), default=emulation.socs.DEFAULT,
              show_default=True,
              help="The machine: QEMU's generic virt (aarch64), or its models of the "
                   "Zynq-7000 (xilinx-zynq-a9, armhf) and Zynq UltraScale+ (xlnx-zcu102).")
@click.option("--memory", "memory_mib", type=click.IntRange(128), metavar="MIB",
              default=emulation.emulator.DEFAULT_MEMORY_MIB, show_default=True,
              help="RAM the kernel manages (its mem= limit).")
@click.option("--carveout", "carveout_mib", type=click.IntRange(1), metavar="MIB",
              default=emulation.emulator.DEFAULT_CARVEOUT_MIB, show_default=True,
              help="RAM above mem=, the server's buffer carve-out.")
@click.option("--cpus", type=click.IntRange(1, 8), default=2, show_default=True,
              help="Emulated CPUs.")
@click.option("--boot-timeout", type=click.FloatRange(1), metavar="SECONDS",
              default=emulation.emulator.DEFAULT_BOOT_TIMEOUT_S, show_default=True,
              help="How long the server may take to answer after QEMU starts.")
@json_option
@click.pass_obj
def emulate(ctx, stop, background, **options):
    """Boot the emulated target: pynq-remote-server on Linux in QEMU.

    Builds what is missing (the server cross-built for the SoC, a RAM-disk
    from Debian's busybox, Debian's arm64 kernel or, for --soc zynq7000, a
    kernel built once from Debian's kernel source; all cached), boots it
    (qemu-system-aarch64 -M virt by default), waits until the server
    answers and prints the address to use (a free loopback port). Ctrl-C
    stops it, as does `pynq-remote emulate --stop` from another shell.
    """
    if stop:
        state = emulation.stop_running()
        ctx.show(state.as_dict(), lambda console: console.print(
            f"stopped the emulated target at {state.address} (QEMU pid {state.pid})"))
        return
    status = Console(stderr=True).status("starting")
    with status:
        emulator = emulation.boot(progress=status.update, **options)
    _show_ready(ctx, emulator, background)
    if background:
        return
    # SIGTERM stops the target as Ctrl-C does.
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        emulator.wait()
        click.echo("the emulated target stopped", err=True)
    except KeyboardInterrupt:
        emulator.stop()
        click.echo("stopped the emulated target", err=True)
    finally:
        signal.signal(signal.SIGTERM, previous)


def _interrupt(*_):
    raise KeyboardInterrupt


def _show_ready(ctx, emulator, background):
    state = emulator.state
    data = dict(state.as_dict(), initrd_bytes=emulator.artifacts.initrd_bytes)

    def render(console):
        console.print(f"emulated target ready at [bold]{state.address}[/bold] "
                      f"(booted in {state.boot_seconds:.1f} s)")
        console.print(f"  {emulation.socs.get(state.soc).description}, kernel {state.kernel_release}; buffer "
                      f"carve-out "
                      f"{state.carveout_size // 2**20} MiB at {state.carveout_base:#x}")
        console.print(f"  export PYNQ_REMOTE_DEVICES={state.address}")
        console.print(f"  serial console log: {state.console_log}")
        console.print("Stop it with " + ("" if background else "Ctrl-C or ")
                      + "`pynq-remote emulate --stop`.")

    ctx.show(data, render)
