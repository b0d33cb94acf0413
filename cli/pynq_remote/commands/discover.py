"""``pynq-remote discover``: the boards announcing themselves on the network."""

import click
from rich.table import Table

from ..connection import discovery
from .options import json_option


@click.command()
@click.option("--timeout", type=click.FloatRange(0.1, 60), default=discovery.DEFAULT_TIMEOUT_S,
              show_default=True, help="Seconds to listen for announcements.")
@json_option
@click.pass_obj
def discover(ctx, timeout):
    """List the boards on the local network (mDNS/DNS-SD, `_pynq-remote._tcp`).

    A name in the first column works as `-d NAME` for every command, as does
    the host name (`HOST.local`).
    """
    boards = [board.as_dict() for board in discovery.browse(timeout)]

    def render(console):
        if not boards:
            console.print(f"no board answered within {timeout:g} s")
            return
        console.print(_table(boards))

    ctx.show(boards, render)


def _table(boards):
    table = Table("name", "address", "host", "board", "design", "server", "api", "tls",
                  box=None)
    for column in table.columns[:3]:
        column.no_wrap = True
    for board in boards:
        table.add_row(board["name"], board["address"], board["host"], board["board"],
                      board["design"], board["server"], board["api"],
                      "required" if board["tls"] else "none")
    return table
