"""``pynq-remote status``: what is loaded on each board."""

import dataclasses
import datetime

import click
from rich.table import Table

from ..errors import PynqRemoteUserError
from .options import devices_option, json_option


@click.command()
@devices_option
@json_option
@click.pass_obj
def status(ctx):
    """Show the FPGA state and loaded design of each board."""
    rows = [_status_of(device) for device in ctx.devices()]
    ctx.show(rows, lambda console: console.print(_table(rows)))


def _status_of(device):
    with device:
        try:
            fpga = device.info().fpga
        except PynqRemoteUserError as error:
            return {"address": device.address, "error": error.msg}
    return {"address": device.address, **dataclasses.asdict(fpga)}


def _table(rows):
    table = Table("device", "state", "design", "sha256", "partial", "programmed", box=None)
    for column in table.columns[:3]:
        column.no_wrap = True
    for row in rows:
        if "error" in row:
            table.add_row(row["address"], f"[red]{row['error']}[/red]", "", "", "", "")
            continue
        when = ""
        if row["programmed_at_unix_ms"]:
            when = datetime.datetime.fromtimestamp(
                row["programmed_at_unix_ms"] / 1000).strftime("%H:%M:%S")
        table.add_row(row["address"], row["state"], row["design_name"], row["sha256"][:12],
                      "yes" if row["partial"] else "", when)
    return table
