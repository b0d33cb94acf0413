"""Options shared by several commands, defined once."""

import click

from .context import Context


def _store(name):
    def callback(ctx, _param, value):
        ctx.ensure_object(Context)
        if value is not None:
            setattr(ctx.obj, name, value)
        return value
    return callback


device_option = click.option(
    "-d", "--device", metavar="HOST[:PORT]", expose_value=False,
    callback=_store("device_address"),
    help="Board to talk to (default: first of $PYNQ_REMOTE_DEVICES; port 7967).")

devices_option = click.option(
    "-d", "--device", "device_addresses", metavar="HOST[:PORT]", multiple=True,
    expose_value=False, callback=_store("device_addresses"),
    help="Board to talk to; repeat for several (default: all of $PYNQ_REMOTE_DEVICES).")

json_option = click.option(
    "--json", is_flag=True, default=None, expose_value=False,
    callback=_store("as_json"), help="Print the result as JSON.")


class IntegerParam(click.ParamType):
    """An integer written in decimal, hex (0x), octal (0o) or binary (0b)."""

    name = "integer"

    def convert(self, value, param, ctx):
        if isinstance(value, int):
            return value
        try:
            return int(value, 0)
        except ValueError:
            self.fail(f"{value!r} is not an integer (use decimal or 0x...)", param, ctx)


INTEGER = IntegerParam()

width_option = click.option(
    "-w", "--width", type=click.Choice(["8", "16", "32", "64"]), default="32",
    show_default=True, callback=lambda _c, _p, v: int(v) // 8,
    help="Access width in bits.")
