"""``pynq-remote mmio``: read, write and dump physical addresses on the board."""

import click

from ..board.mmio import MMIO
from .options import INTEGER, device_option, json_option, width_option


@click.group()
def mmio():
    """Read and write memory-mapped registers.

    Addresses are physical and must lie in one of the board's MMIO windows
    (see `pynq-remote info`).
    """


@mmio.command()
@click.argument("address", type=INTEGER)
@click.argument("count", type=click.IntRange(1), default=1)
@width_option
@device_option
@json_option
@click.pass_obj
def read(ctx, address, count, width):
    """Read COUNT values (default 1) starting at ADDRESS."""
    window = MMIO(address, count * width, device=ctx.device)
    if count == 1:
        values = [window.read(0, width)]
    else:
        values = [int(v) for v in window.read_block(0, count, width)]
    digits = 2 * width

    def render(console):
        for index, value in enumerate(values):
            console.print(f"0x{address + index * width:08x}: 0x{value:0{digits}x}")

    ctx.show({"address": address, "width": width * 8, "values": values}, render)


@mmio.command()
@click.argument("address", type=INTEGER)
@click.argument("value", type=INTEGER)
@width_option
@device_option
@json_option
@click.pass_obj
def write(ctx, address, value, width):
    """Write VALUE to ADDRESS."""
    MMIO(address, width, device=ctx.device).write(0, value, width)
    ctx.show({"address": address, "width": width * 8, "value": value},
             lambda console: None)


@mmio.command()
@click.argument("address", type=INTEGER)
@click.argument("length", type=INTEGER)
@device_option
@json_option
@click.pass_obj
def dump(ctx, address, length):
    """Hexdump LENGTH bytes starting at ADDRESS (32-bit reads, one call)."""
    if length <= 0 or length % 4:
        raise click.BadParameter("must be a positive multiple of 4 bytes",
                                 param_hint="LENGTH")
    words = MMIO(address, length, device=ctx.device).read_block(0, length // 4)
    data = words.astype("<u4").tobytes()
    ctx.show({"address": address, "data": data.hex()},
             lambda console: console.print(hexdump(address, data), markup=False))


def hexdump(address, data):
    """Lines of 16 bytes: address, bytes in hex, printable ASCII."""
    lines = []
    for start in range(0, len(data), 16):
        chunk = data[start:start + 16]
        hex_bytes = " ".join(f"{b:02x}" for b in chunk)
        text = "".join(chr(b) if 32 <= b < 127 else "." for b in chunk)
        lines.append(f"0x{address + start:08x}  {hex_bytes:<47}  |{text}|")
    return "\n".join(lines)
