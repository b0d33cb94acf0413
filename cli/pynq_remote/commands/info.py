"""``pynq-remote info``: what the board and its server are."""

import click
from rich.table import Table

from .options import device_option, json_option


@click.command()
@device_option
@json_option
@click.pass_obj
def info(ctx):
    """Show the board, server version, limits, extensions, MMIO windows and FPGA state."""
    device_info = ctx.device.info()
    ctx.show(device_info.as_dict(), lambda console: _render(console, device_info))


def _render(console, device_info):
    table = Table(show_header=False, box=None)
    table.add_column(style="bold")
    table.add_column()
    rows = [
        ("board", device_info.board),
        ("platform", device_info.platform),
        ("backend", device_info.backend),
        ("server", f"{device_info.server_version} (api {device_info.api_version})"),
        ("kernel", f"{device_info.kernel_release} ({device_info.architecture})"),
        ("fpga", _fpga(device_info.fpga)),
        ("capabilities", ", ".join(device_info.capabilities)),
        ("extensions", ", ".join(device_info.extensions) or "none"),
        ("max burst", f"{device_info.limits.max_burst_words} words"),
        ("max message", f"{device_info.limits.max_message_bytes} bytes"),
    ]
    for name, value in rows:
        table.add_row(name, value)
    console.print(table)
    windows = Table("MMIO window", "base", "size", box=None)
    for window in device_info.mmio_windows:
        windows.add_row(window.name, f"0x{window.base_address:x}", f"0x{window.size:x}")
    console.print(windows)


def _fpga(fpga):
    text = fpga.state
    if fpga.design_name:
        text += f", design {fpga.design_name}"
    return text
