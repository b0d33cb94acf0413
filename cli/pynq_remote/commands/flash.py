"""``pynq-remote flash``: write a disk image to an SD card, safely, fast and verified."""

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import (BarColumn, DownloadColumn, Progress, TimeRemainingColumn,
                           TransferSpeedColumn)
from rich.table import Table

from ..errors import PynqRemoteUserError
from ..flash import flash_image, human_size, inspect_image, list_disks
from .options import json_option

_PHASES = {"measure": "sizing image", "write": "writing", "verify": "verifying"}


@click.command()
@click.argument("image", type=click.Path(dir_okay=False))
@click.argument("target", required=False)
@click.option("--bmap", "bmap_path", type=click.Path(dir_okay=False), metavar="FILE",
              help="Block map to use (default: IMAGE's .bmap, found as bmaptool does).")
@click.option("--no-bmap", is_flag=True, help="Write every byte, even with a .bmap beside IMAGE.")
@click.option("--no-verify", is_flag=True, help="Skip reading the written data back.")
@click.option("--force", is_flag=True,
              help="Allow a non-removable disk (an internal disk, a loop device) or a partition.")
@click.option("-y", "--yes", is_flag=True, help="Do not ask for confirmation (for scripts).")
@json_option
@click.pass_obj
def flash(ctx, image, target, bmap_path, no_bmap, no_verify, force, yes):
    """Write IMAGE to TARGET, an SD card (or a regular file), and verify it.

    IMAGE is a raw disk image (.wic, .img) or one compressed with gzip, xz,
    bzip2 or zstd (.wic.gz, .wic.xz, .wic.bz2, .wic.zst). When a bmap file
    lies beside it (core.wic.bmap for core.wic.gz, as bmaptool finds it),
    only the mapped blocks are written, and each block range is checked
    against the bmap's checksum as it is written. The data goes in 4 MiB
    aligned writes (O_DIRECT on disks), ends with fsync, and is then read back
    and compared (--no-verify skips that).

    Without TARGET, the removable disks are listed (--json prints them and
    stops) and you choose one.

    \b
    Safety rules:
      - a non-removable disk (not USB, not an SD card, not marked removable
        by the kernel; loop devices too) is refused unless --force;
      - a partition is refused unless --force: images go on the whole disk;
      - a disk that is mounted, swap, held by device-mapper/RAID/LVM, or
        busy (opened with O_EXCL) is always refused: unmount it first;
      - an image larger than the disk is refused, before anything is written;
      - you confirm the device, its model and size (--yes skips this);
      - a path under /dev/ that does not exist is never created.

    A regular file as TARGET is written like a disk: a new or empty one is
    created at the image's size (sparse where the bmap leaves holes), an
    existing one is treated as a disk of its size.
    """
    if bmap_path and no_bmap:
        raise click.UsageError("--bmap and --no-bmap exclude each other")
    if target is None:
        inspect_image(image)  # a missing image fails before a disk is chosen
        target = _choose_disk(ctx, yes)
        if target is None:
            return
    stderr = Console(stderr=True, highlight=False)
    with Progress("[progress.description]{task.description}", BarColumn(), DownloadColumn(),
                  TransferSpeedColumn(), TimeRemainingColumn(), transient=True,
                  disable=ctx.as_json or not stderr.is_terminal, console=stderr) as progress:
        tasks = {}

        def report(phase, done, total):
            if phase not in tasks:
                tasks[phase] = progress.add_task(_PHASES[phase], total=total)
            progress.update(tasks[phase], completed=done, total=total)

        def confirm(plan):
            if yes or (plan.target.kind == "file" and plan.target.size is None):
                return True
            with _paused(progress):
                _show_plan(stderr, plan)
                return click.confirm("Overwrite it?", default=False, err=True)

        result = flash_image(image, target, bmap=bmap_path, use_bmap=not no_bmap, force=force,
                             verify=not no_verify, confirm=confirm, progress=report)
    ctx.show(result.as_dict(),
             lambda console: console.print(_report(result), soft_wrap=True))


def _choose_disk(ctx, yes):
    disks = list_disks()
    if ctx.as_json:
        ctx.show([disk.as_dict() for disk in disks], None)
        return None
    if not disks:
        raise PynqRemoteUserError("no removable disk found: insert the SD card, or name the "
                                  "TARGET (--force for a non-removable one)")
    if yes:
        raise PynqRemoteUserError("--yes needs a TARGET: name the disk to overwrite")
    table = Table("#", "device", "model", "size", "transport", "in use", box=None)
    for index, disk in enumerate(disks, 1):
        table.add_row(str(index), disk.path, escape(disk.label()), human_size(disk.size),
                      disk.transport, escape(disk.usage()) or "no")
    ctx.console.print(table)
    choice = click.prompt("Flash to which disk (number)", type=click.IntRange(1, len(disks)),
                          err=True)
    return disks[choice - 1].path


def _show_plan(console, plan):
    image = plan.image
    what = f"{escape(image.path)} ({human_size(plan.image_size)}"
    what += f", {image.compression})" if image.compression else ")"
    if plan.bmap is not None:
        what += (f", bmap: {human_size(plan.bytes_to_write)} mapped "
                 f"({_percent(plan.bytes_to_write, plan.image_size)})")
    console.print(f"image:  {what}", soft_wrap=True)
    console.print(f"target: [bold]{escape(plan.target.describe())}[/bold]", soft_wrap=True)
    console.print("Everything on the target will be overwritten.")


class _paused:
    """Stops a live progress display while the user is asked something."""

    def __init__(self, progress):
        self.progress = progress

    def __enter__(self):
        self.progress.stop()

    def __exit__(self, *_exc):
        if not self.progress.disable:
            self.progress.start()
        return False


def _report(result):
    text = (f"wrote {human_size(result.bytes_written)} ({result.bytes_written} bytes) to "
            f"{escape(result.target)} in {result.write_seconds:.2f} s, "
            f"{result.write_mb_per_s:.1f} MB/s")
    if result.bmap:
        text += (f"; bmap: {_percent(result.bytes_written, result.image_size)} of the "
                 f"{human_size(result.image_size)} image")
    if result.verified:
        text += f"; verified in {result.verify_seconds:.2f} s"
    else:
        text += "; not verified"
    return text


def _percent(part, whole):
    return f"{100 * part / whole:.0f}%" if whole else "100%"
