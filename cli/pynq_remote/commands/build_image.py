"""``pynq-remote build-image``: build a board's RAM-disk and SD card image with kas."""

import click
from rich.console import Console
from rich.progress import (BarColumn, MofNCompleteColumn, Progress, SpinnerColumn,
                           TextColumn, TimeElapsedColumn, TimeRemainingColumn)
from rich.table import Table

from .. import imagebuild
from .options import json_option


@click.command("build-image")
@click.argument("board", required=False)
@click.option("--list", "list_boards", is_flag=True, help="List the boards and exit.")
@click.option("--out", type=click.Path(file_okay=False), metavar="DIR",
              help="kas work folder: layer checkouts, build-MACHINE/, downloads/, "
                   "sstate-cache/, logs/ (default: build/yocto in a checkout, "
                   "~/.cache/pynq-remote/yocto when installed).")
@click.option("--dry-run", is_flag=True,
              help="Walk bitbake's whole task graph (bitbake -n) without running tasks.")
@click.option("--shell", "open_shell", is_flag=True,
              help="Open a kas shell in the board's build environment instead.")
@click.option("--mixin", "mixins", multiple=True, type=click.Path(dir_okay=False),
              metavar="FILE", help="Extra kas file applied over the board's "
              "(repeatable; it must be inside pynq-remote's folder, e.g. build/site.yml "
              "of a checkout, or kas/mixins/sysmon.yml).")
@click.option("--as-user", metavar="NAME", envvar="PYNQ_REMOTE_BUILD_USER",
              help="When run as root: run kas and bitbake as this unprivileged user "
                   "(bitbake refuses root). Default: $PYNQ_REMOTE_BUILD_USER.")
@json_option
@click.pass_obj
def build_image(ctx, board, list_boards, out, dry_run, open_shell, mixins, as_user):
    """Build BOARD's image with kas and bitbake: the RAM-disk with
    pynq-remote-server and, for real boards, an SD card image (.wic + .bmap).

    BOARD is a listed board (--list) or the path of your own board file: a
    kas file that includes kas/common.yml and names a machine and its layer
    (docs/image-build.md, "Your own board"); a machine no configured layer
    defines stops the build before bitbake, naming the machines they offer.

    The first build downloads the sources and takes hours; later ones reuse
    downloads/ and sstate-cache/ (set DL_DIR, SSTATE_DIR or SSTATE_MIRRORS to
    share them). The host is checked first: kas, a non-root user, the
    en_US.UTF-8 locale, free disk space and Yocto's host tools
    (scripts/install-yocto-deps.sh installs them). bitbake's full output goes
    to a log file under DIR/logs. Write the result to a card with
    `pynq-remote flash`. See docs/image-build.md.
    """
    if list_boards:
        _list(ctx)
        return
    if not board:
        raise click.UsageError("name a BOARD (pynq-remote build-image --list shows them)")
    job = imagebuild.prepare(board, out, dry_run=dry_run or open_shell, mixins=mixins,
                             as_user=as_user)
    if open_shell:
        raise SystemExit(imagebuild.shell(job))
    with _ProgressDisplay(ctx, job, dry_run) as on_progress:
        result = imagebuild.build(job, dry_run=dry_run, on_progress=on_progress)
    ctx.show(result.as_dict(), lambda console: _summary(console, result))


def _list(ctx):
    boards = imagebuild.boards()
    rows = [b.as_dict() for b in boards.values()]

    def render(console):
        table = Table("board", "machine", "description", box=None)
        for b in boards.values():
            table.add_row(b.name, b.machine, "\n".join((b.description, *b.notes)))
        console.print(table)
    ctx.show(rows, render)


class _ProgressDisplay:
    """A rich progress bar on a terminal; a line every 10 % elsewhere (CI logs)."""

    def __init__(self, ctx, job, dry_run):
        self.console = Console(stderr=True, highlight=False)
        self.title = f"{job.board.name}{' (dry run)' if dry_run else ''}"
        self.live = self.console.is_terminal
        self.progress = Progress(SpinnerColumn(), TextColumn("{task.description}"),
                                 BarColumn(), MofNCompleteColumn(), TextColumn("tasks"),
                                 TimeElapsedColumn(), TextColumn("ETA"),
                                 TimeRemainingColumn(), console=self.console,
                                 disable=not self.live)
        self.task = self.progress.add_task(f"{self.title}: parsing recipes", total=None)
        self.reported = -1

    def __enter__(self):
        self.progress.start()
        if not self.live:
            self.console.print(f"{self.title}: parsing recipes", soft_wrap=True)
        return self.update

    def __exit__(self, *exc):
        self.progress.stop()

    def update(self, state):
        if not state.total:
            return
        now = f"{state.recipe}:{state.current_task}"
        self.progress.update(self.task, completed=state.task, total=state.total,
                             description=f"{self.title}: {now}")
        if not self.live:
            step = state.task * 10 // state.total
            if step != self.reported:
                self.reported = step
                self.console.print(f"{self.title}: task {state.task} of {state.total} "
                                   f"({step * 10}%) {now}", soft_wrap=True)


def _summary(console, result):
    progress = result.progress
    kind = "dry run" if result.dry_run else "build"
    console.print(f"{result.board} ({result.machine}): {kind} of {progress.attempted} tasks "
                  f"succeeded in {result.seconds:.0f} s; log: {result.log}")
    if result.artifacts:
        table = Table("artifact", "size", "path", box=None)
        table.columns[1].justify = "right"
        for artifact in result.artifacts:
            table.add_row(artifact.kind, _size(artifact.size), artifact.path)
        console.print(table)


def _size(count):
    for unit in ("B", "KiB", "MiB"):
        if count < 1024:
            return f"{count:.0f} {unit}" if unit == "B" else f"{count:.1f} {unit}"
        count /= 1024
    return f"{count:.1f} GiB"
