"""The ``pynq-remote`` entry point: logging, the command group and exit codes.

Exit codes: 0 success; 1 internal error (a bug: traceback printed); 2 bad
usage or input on the host; 3 the device could not be reached; 4 the device
refused the request (the gRPC status code is named); 5 ``doctor`` found
something to fix; 130 interrupted.
"""

import logging
import sys

import click
from rich.console import Console
from rich.logging import RichHandler

from . import __version__
from .commands import register
from .commands.context import Context
from .errors import PynqRemoteUserError


def set_log_level(level):
    logging.basicConfig(level=level, format="%(message)s", datefmt="[%X]",
                        handlers=[RichHandler(show_path=False, console=Console(stderr=True))],
                        force=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="pynq-remote")
@click.option("-v", "--verbose", is_flag=True, help="Log what happens.")
@click.pass_context
def cli(ctx, verbose):
    """Control AMD adaptive SoC boards running pynq-remote-server."""
    set_log_level(logging.DEBUG if verbose else logging.WARNING)
    ctx.ensure_object(Context)


register(cli)


def main(args=None):
    try:
        cli.main(args=args, prog_name="pynq-remote", standalone_mode=False,
                 obj=Context())
    except PynqRemoteUserError as error:
        _fail(error.msg, error.exit_code)
    except click.ClickException as error:
        error.show()
        sys.exit(2)
    except (click.Abort, KeyboardInterrupt):
        _fail("interrupted", 130)
    sys.exit(0)


def _fail(message, code):
    click.echo(f"error: {message}", err=True)
    sys.exit(code)
