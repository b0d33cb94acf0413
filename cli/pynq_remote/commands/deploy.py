"""``pynq-remote deploy``: upload a design's bitstream and program it, on one or many boards."""

import concurrent.futures

import click
from rich.progress import BarColumn, DownloadColumn, Progress, TransferSpeedColumn
from rich.table import Table

from ..design.deploy import deploy as deploy_design
from ..design.loader import load_design
from ..errors import PynqRemoteUserError
from .options import devices_option, json_option


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--hwh", type=click.Path(exists=True, dir_okay=False),
              help="Hardware description, when it is not beside FILE.")
@click.option("--partial", is_flag=True, help="Program a partial (DFX) bitstream.")
@devices_option
@json_option
@click.pass_obj
def deploy(ctx, file, hwh, partial):
    """Upload FILE (.bit, .bin or .xsa) unless a board has it, then program it.

    With several boards (-d repeated, or PYNQ_REMOTE_DEVICES listing them),
    they are deployed in parallel, one progress line each. The boards' MMIO
    windows then follow the design's address map (.hwh).
    """
    design = load_design(file, hwh)
    devices = ctx.devices()
    with Progress("[progress.description]{task.description}", BarColumn(),
                  DownloadColumn(), TransferSpeedColumn(), transient=True,
                  disable=ctx.as_json or not ctx.console.is_terminal,
                  console=ctx.console) as progress:
        with concurrent.futures.ThreadPoolExecutor(len(devices)) as pool:
            futures = [pool.submit(_deploy_one, device, design, partial, progress)
                       for device in devices]
            outcomes = [future.result() for future in futures]
    ctx.show(outcomes,
             lambda console: console.print(_summary(outcomes)))
    failed = [o for o in outcomes if "error" in o]
    if failed:
        error = PynqRemoteUserError(f"deploy failed on {len(failed)} of {len(outcomes)} "
                                    f"device(s): " + "; ".join(o["error"] for o in failed))
        error.exit_code = max(o["exit_code"] for o in failed)
        raise error


def _deploy_one(device, design, partial, progress):
    task = progress.add_task(device.address, total=None)

    def report(sent, total):
        progress.update(task, completed=sent, total=total)

    try:
        return deploy_design(device, design, partial, progress=report).as_dict()
    except PynqRemoteUserError as error:
        return {"address": device.address, "error": error.msg, "exit_code": error.exit_code}
    finally:
        device.close()


def _summary(outcomes):
    table = Table("device", "design", "state", "uploaded", "time", box=None)
    for outcome in outcomes:
        if "error" in outcome:
            table.add_row(outcome["address"], "", "[red]failed[/red]", "", "")
            continue
        table.add_row(outcome["address"], outcome["design_name"], outcome["fpga"]["state"],
                      f"{outcome['bytes_sent']} bytes", f"{outcome['seconds']:.2f} s")
    return table
