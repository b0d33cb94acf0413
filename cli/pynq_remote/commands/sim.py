"""``pynq-remote sim``: drive the simulated board's inputs, as a test bench would."""

import click

from ..board import gpio as gpio_lib
from .options import device_option, json_option


def _pins(text):
    try:
        return int(text, 0)
    except ValueError:
        raise click.BadParameter(f"{text!r} is not a number (e.g. 5, 0b0101, 0x5)") from None


@click.group()
def sim():
    """Inputs of the simulated board (buttons, switches, GPIO lines).

    Only the sim backend has them; a real board refuses with "simulated
    inputs exist only on the sim backend".
    """


@sim.command(name="input")
@click.argument("window")
@click.argument("value", type=_pins)
@click.option("--channel", type=click.IntRange(1, 2), default=1, show_default=True,
              help="Channel of the AXI GPIO.")
@device_option
@json_option
@click.pass_obj
def input_command(ctx, window, value, channel):
    """Drive the input pins of AXI GPIO WINDOW's channel to VALUE.

    WINDOW is the IP's instance name (e.g. btns_gpio); VALUE has one bit per
    pin (0b0010 presses the second button). A change of an input pin sets
    the GPIO's IP_ISR bit and raises its interrupt when GIER and IP_IER
    enable it.
    """
    gpio_lib.set_simulated_axi_gpio_input(ctx.device, window, value, channel)
    ctx.show({"window": window, "channel": channel, "value": value}, lambda console: None)


@sim.command()
@click.argument("chip")
@click.argument("offset", type=click.IntRange(0))
@click.argument("value", type=click.IntRange(0, 1))
@device_option
@json_option
@click.pass_obj
def line(ctx, chip, offset, value):
    """Drive simulated GPIO line OFFSET of CHIP (e.g. gpiochip0) to VALUE."""
    gpio_lib.set_simulated_line_input(ctx.device, chip, offset, value)
    ctx.show({"chip": chip, "offset": offset, "value": value}, lambda console: None)
