"""``pynq-remote irq``: the board's interrupt lines, streamed live."""

import datetime
import json

import click
from rich.table import Table

from ..board.interrupt import list_subscriptions, watch as watch_lines
from .options import device_option, json_option


@click.group()
def irq():
    """PL-to-PS interrupts, by GIC interrupt number (PYNQ's raw_irq)."""


@irq.command()
@click.argument("lines", nargs=-1, type=click.IntRange(0))
@click.option("-n", "--count", type=click.IntRange(1), help="Stop after COUNT events.")
@device_option
@json_option
@click.pass_obj
def watch(ctx, lines, count):
    """Print interrupts of LINES (default: every line of the board) as they come.

    Each event shows its line, its number since the watch began and the
    board's time. The board unmasks a line once the event is sent; clearing
    the interrupt at its source is left to whoever handles it. With --json,
    one JSON object per line. Ctrl-C stops.
    """
    if not lines:
        lines = tuple(list_subscriptions(ctx.device).available_lines)
    if not ctx.as_json:
        ctx.console.print(f"watching lines {', '.join(map(str, lines))}; Ctrl-C stops",
                          style="dim")
    try:
        _print_events(ctx, lines, count)
    finally:
        ctx.device.close()   # the board ends the subscription with the session now


def _print_events(ctx, lines, count):
    seen = 0
    for event in watch_lines(ctx.device, list(lines)):
        stamp = datetime.datetime.fromtimestamp(event.timestamp_unix_ns / 1e9,
                                                datetime.timezone.utc)
        if ctx.as_json:
            print(json.dumps({"line": event.line, "count": event.count,
                              "timestamp_unix_ns": event.timestamp_unix_ns}), flush=True)
        else:
            ctx.console.print(f"line {event.line}  #{event.count}  "
                              f"{stamp.strftime('%H:%M:%S.%f')} UTC")
        seen += 1
        if count is not None and seen >= count:
            break


@irq.command(name="list")
@device_option
@json_option
@click.pass_obj
def list_command(ctx):
    """The board's interrupt lines and who watches them."""
    status = list_subscriptions(ctx.device)
    data = {"available_lines": list(status.available_lines),
            "open_lines": status.open_lines, "reader_threads": status.reader_threads,
            "subscriptions": [{"id": s.subscription_id, "session": s.session_label,
                               "client": s.client_name, "lines": list(s.lines),
                               "events_sent": s.events_sent,
                               "auto_acknowledge": s.auto_acknowledge}
                              for s in status.subscriptions]}

    def render(console):
        console.print(f"lines: {', '.join(map(str, data['available_lines'])) or 'none'}; "
                      f"open: {data['open_lines']}, reader threads: {data['reader_threads']}")
        table = Table("id", "session", "client", "lines", "events", box=None)
        for entry in data["subscriptions"]:
            table.add_row(str(entry["id"]), entry["session"], entry["client"],
                          ", ".join(map(str, entry["lines"])), str(entry["events_sent"]))
        console.print(table)

    ctx.show(data, render)
