"""``pynq-remote clocks``: show and set the PL clocks."""

import logging
import warnings

import click
from rich.table import Table

from ..board.clocks import get_clocks, set_pl_clock
from .options import device_option, json_option


def _setting(_ctx, param, values):
    """``INDEX=MHZ`` pairs as ``(index, mhz)``."""
    settings = []
    for value in values:
        index, _, mhz = value.partition("=")
        try:
            settings.append((int(index), float(mhz)))
        except ValueError:
            raise click.BadParameter(f"{value!r} is not INDEX=MHZ, e.g. 0=125", param=param)
    return settings


@click.command()
@click.option("--set", "settings", metavar="INDEX=MHZ", multiple=True, callback=_setting,
              help="Set PL clock INDEX (0-3) to the nearest reachable MHZ; repeatable.")
@device_option
@json_option
@click.pass_obj
def clocks(ctx, settings):
    """Show the CPU clock and the four PL clocks; --set changes PL clocks.

    A set clock runs from the I/O PLL through two divisors (1 to 63 each),
    so the result is the reachable frequency nearest the one asked.
    """
    for index, mhz in settings:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            set_pl_clock(ctx.device, index, mhz)
        for warning in caught:
            logging.warning("%s", warning.message)
    cpu_mhz, pl_clocks = get_clocks(ctx.device)
    result = {"cpu_mhz": cpu_mhz, "pl_clocks": [vars(clock) for clock in pl_clocks]}
    ctx.show(result, lambda console: console.print(_table(cpu_mhz, pl_clocks)))


def _table(cpu_mhz, pl_clocks):
    table = Table("clock", "MHz", "enabled", "source", "divisors", box=None,
                  caption=f"CPU {cpu_mhz:.3f} MHz", caption_justify="left")
    for clock in pl_clocks:
        table.add_row(f"fclk{clock.index}", f"{clock.frequency_mhz:.3f}",
                      "yes" if clock.enabled else "no",
                      f"{clock.source} {clock.source_mhz:.3f} MHz",
                      f"{clock.divisor0} x {clock.divisor1}")
    return table
