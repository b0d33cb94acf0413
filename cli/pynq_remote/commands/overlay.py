"""``pynq-remote overlay``: overlay files (.bit, .bin, .xsa, .hwh) on the host."""

import click
from rich.markup import escape
from rich.table import Table

from ..design.loader import load_design
from .options import json_option


@click.group()
def overlay():
    """Work with overlay files: bitstreams and their hardware descriptions."""


@overlay.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--ip", "ip_name", metavar="NAME",
              help="Show the register map of this IP (its ip_dict key).")
@click.option("--hwh", type=click.Path(dir_okay=False),
              help="The .hwh to use (default: the one beside FILE or inside the .xsa).")
@json_option
@click.pass_obj
def inspect(ctx, file, ip_name, hwh):
    """Describe FILE offline: design, part, payload, sha256, IPs and memories.

    FILE is a .bit or .bin (with the .hwh of the same stem beside it, or the
    block design's name without `_wrapper`), an .xsa, or a .hwh alone.
    With --ip NAME, print that IP's registers and their bit fields.
    """
    design = load_design(file, hwh=hwh)
    if ip_name is not None:
        entry = design.ip(ip_name)
        ctx.show({"name": ip_name, **entry},
                 lambda console: _render_ip(console, ip_name, entry))
    else:
        ctx.show(design.as_dict(), lambda console: _render_design(console, design))


def _render_design(console, design):
    console.print(_summary(design))
    hardware = design.hardware
    if hardware is None:
        console.print("no .hwh found: IPs unknown (give one with --hwh)")
        return
    ips = _table("IP", "type", "address", "range", title="IPs")
    for name, entry in sorted(hardware.ip_dict.items(), key=lambda kv: kv[1]["phys_addr"]):
        ips.add_row(escape(name), escape(entry["type"] or ""), _address(entry["phys_addr"]),
                    _size(entry["addr_range"]))
    console.print(ips)
    memories = _table("memory", "type", "address", "size", title="memories")
    for name, entry in sorted(hardware.mem_dict.items(),
                              key=lambda kv: kv[1]["base_address"]):
        memories.add_row(escape(name), escape(entry["type"]), _address(entry["base_address"]),
                         _size(entry["size"]))
    console.print(memories)


def _summary(design):
    table = Table(show_header=False, box=None)
    table.add_column(style="bold", no_wrap=True)
    table.add_column(overflow="fold")
    bitstream, hardware = design.bitstream, design.hardware
    if bitstream is not None:
        table.add_row("file", escape(str(bitstream.source)))
        table.add_row("format", _format(bitstream))
        table.add_row("design", bitstream.design_name or "(no header)")
        table.add_row("part", bitstream.part or "(no header)")
        if bitstream.date:
            table.add_row("built", f"{bitstream.date} {bitstream.time or ''}".strip())
        table.add_row("payload", f"{len(bitstream.payload)} bytes")
        table.add_row("sha256", bitstream.sha256)
    if hardware is not None:
        table.add_row("hwh", escape(hardware.source))
        table.add_row("block design",
                      f"{hardware.design_name} (Vivado {hardware.vivado_version})")
        table.add_row("device", f"{hardware.device}-{hardware.package}{hardware.speed_grade}"
                      f" ({hardware.arch})")
        if hardware.processor:
            table.add_row("processor", f"{hardware.processor['fullpath']} "
                          f"({hardware.processor['type']})")
    return table


def _format(bitstream):
    if bitstream.member:
        return f"xsa, containing {escape(bitstream.member)}"
    if bitstream.format == "bin":
        return "bin, " + ("byte-swapped (FPGA manager order)" if bitstream.swapped
                          else "not byte-swapped (Vivado -bin_file)")
    return bitstream.format


def _table(*columns, title=None):
    """A borderless table whose text columns fold instead of being cut at the width."""
    table = Table(box=None, title=title, title_justify="left")
    for column in columns:
        table.add_column(column, overflow="fold")
    return table


def _render_ip(console, name, entry):
    console.print(f"[bold]{escape(name)}[/bold]  {escape(entry['type'] or '')}  at "
                  f"{_address(entry['phys_addr'])} ({_size(entry['addr_range'])})")
    registers = sorted(entry["registers"].items(), key=lambda kv: kv[1]["address_offset"])
    if not registers:
        console.print("no register map in the .hwh")
    table = _table("register / field", "offset / bits", "size", "access")
    for register_name, register in registers:
        table.add_row(escape(register_name), f"0x{register['address_offset']:02x}",
                      str(register["size"]), register["access"], style="bold")
        fields = sorted(register["fields"].items(), key=lambda kv: kv[1]["bit_offset"])
        for field_name, field in fields:
            table.add_row(f"  {escape(field_name)}", _bits(field), "", field["access"])
    if registers:
        console.print(table)
    for pin, interrupt in entry["interrupts"].items():
        controller = interrupt["controller"] or "PS"
        gic = f" (GIC {interrupt['raw_irq']})" if "raw_irq" in interrupt else ""
        console.print(f"interrupt {escape(pin)}: {escape(controller)} input "
                      f"{interrupt['index']}{gic}")


def _bits(field):
    low, width = field["bit_offset"], field["bit_width"]
    return f"[{low}]" if width == 1 else f"[{low + width - 1}:{low}]"


def _address(value):
    return f"0x{value:08x}"


def _size(nbytes):
    for unit, shift in (("GiB", 30), ("MiB", 20), ("KiB", 10)):
        if nbytes >= 1 << shift and nbytes % (1 << shift) == 0:
            return f"{nbytes >> shift} {unit}"
    return f"{nbytes} B"
