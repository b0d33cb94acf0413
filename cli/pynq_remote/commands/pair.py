"""``pynq-remote pair``: give a fresh board its identity from your CA."""

import click

from ..security.pairing import pair as pair_board
from .options import json_option


@click.command()
@click.argument("host", metavar="HOST[:PORT]")
@click.option("--code", required=True, help="The code the board printed, e.g. 3f9a2c71-482913.")
@json_option
@click.pass_obj
def pair(ctx, host, code):
    """Pair the board at HOST with your CA (run 'pynq-remote pki init' first).

    An unpaired board's server prints 'pynq-remote pair HOST --code CODE'.
    The code's first part is checked against the board's certificate, so a
    wrong host is refused before anything is sent. Afterwards the board
    serves mutual TLS, HOST is recorded as a TLS device in your config, and
    every command reaches it with your certificate.
    """
    info = pair_board(host, code)
    result = {"address": host, "board": info.board, "paired": True}
    ctx.show(result, lambda console: console.print(
        f"paired with {info.board} at {host}; try: pynq-remote info -d {host}"))
