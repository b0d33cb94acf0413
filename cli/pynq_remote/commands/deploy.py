"""``pynq-remote deploy``: upload a design's bitstream and program it."""

import click
from rich.progress import BarColumn, DownloadColumn, Progress, TransferSpeedColumn

from ..deploy import deploy as deploy_design
from ..design import load_design
from .options import device_option, json_option


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--hwh", type=click.Path(exists=True, dir_okay=False),
              help="Hardware description, when it is not beside FILE.")
@click.option("--partial", is_flag=True, help="Program a partial (DFX) bitstream.")
@device_option
@json_option
@click.pass_obj
def deploy(ctx, file, hwh, partial):
    """Upload FILE (.bit, .bin or .xsa) unless the board has it, then program it.

    The board's MMIO windows then follow the design's address map (.hwh).
    """
    design = load_design(file, hwh)
    with Progress("[progress.description]{task.description}", BarColumn(),
                  DownloadColumn(), TransferSpeedColumn(), transient=True,
                  disable=ctx.as_json, console=ctx.console) as progress:
        task = progress.add_task(f"{ctx.device.address} upload", total=None)
        result = deploy_design(ctx.device, design, partial, progress=lambda sent, total:
                               progress.update(task, completed=sent, total=total))
    ctx.show(result.as_dict(), lambda console: console.print(
        f"{result.address}: {result.design_name} ({result.sha256[:12]}) "
        f"{result.fpga.state}; uploaded {result.bytes_sent} bytes in {result.seconds:.2f} s"))
