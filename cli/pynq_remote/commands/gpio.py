"""``pynq-remote gpio``: list, read and write the board's GPIO lines."""

import click
from rich.table import Table

from ..board import gpio as gpio_lib
from .options import device_option, json_option


def _line_argument(text):
    try:
        return int(text, 0)
    except ValueError:
        return text


def _find(ctx, line, chip):
    return gpio_lib.find_line(gpio_lib.list_lines(ctx.device), _line_argument(line), chip)


chip_option = click.option("--chip", metavar="CHIP", help="Chip of an offset, e.g. gpiochip0.")


@click.group()
def gpio():
    """GPIO lines of the board (PS GPIO, EMIO, any gpiochip)."""


@gpio.command(name="list")
@click.option("--chip", metavar="CHIP", help="Only the lines of this chip.")
@device_option
@json_option
@click.pass_obj
def list_command(ctx, chip):
    """List every GPIO line: chip, offset, name, direction and user."""
    lines = [line for line in gpio_lib.list_lines(ctx.device) if chip in (None, line.chip)]
    data = [line.as_dict() for line in lines]

    def render(console):
        table = Table("chip", "label", "offset", "name", "direction", "used by", box=None)
        for line in lines:
            table.add_row(line.chip, line.chip_label, str(line.offset), line.name,
                          line.direction, line.consumer if line.used else "")
        console.print(table)

    ctx.show(data, render)


@gpio.command()
@click.argument("line")
@chip_option
@device_option
@json_option
@click.pass_obj
def read(ctx, line, chip):
    """Read the level of LINE.

    LINE is a line name, CHIP:OFFSET, or an offset on --chip (default: the
    PS GPIO controller, else the first chip).
    """
    found = _find(ctx, line, chip)
    value = gpio_lib.read_line(ctx.device, found.chip, found.offset)
    ctx.show({"chip": found.chip, "offset": found.offset, "name": found.name, "value": value},
             lambda console: console.print(str(value)))


@gpio.command()
@click.argument("line")
@click.argument("value", type=click.IntRange(0, 1))
@chip_option
@device_option
@json_option
@click.pass_obj
def write(ctx, line, value, chip):
    """Make LINE an output driving VALUE (0 or 1).

    LINE is a line name, CHIP:OFFSET, or an offset on --chip (default: the
    PS GPIO controller, else the first chip). The board keeps driving it
    until it is changed again.
    """
    found = _find(ctx, line, chip)
    gpio_lib.set_direction(ctx.device, found.chip, found.offset, "out", value)
    ctx.show({"chip": found.chip, "offset": found.offset, "name": found.name, "value": value},
             lambda console: None)
