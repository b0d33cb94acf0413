"""Runs kas for a board: the build (or bitbake's dry run) and kas shell."""

import dataclasses
import datetime
import os
import subprocess
import time
from pathlib import Path

import yaml

from .. import sources
from ..errors import PynqRemoteUserError
from . import board_file
from .artifacts import find_artifacts
from .bitbake_progress import BitbakeProgress
from .boards import board as find_board
from .boards import source_dir
from .host_check import check_host


class BuildFailed(PynqRemoteUserError):
    """kas or bitbake stopped with an error."""


class MixinOutsideSource(PynqRemoteUserError):
    """kas joins only kas files of one repository."""


@dataclasses.dataclass
class BuildResult:
    board: str
    machine: str
    dry_run: bool
    seconds: float
    log: str
    build_dir: str
    progress: BitbakeProgress
    artifacts: list

    def as_dict(self):
        return {
            "board": self.board, "machine": self.machine, "dry_run": self.dry_run,
            "succeeded": True, "seconds": round(self.seconds, 1),
            "recipes_parsed": self.progress.recipes_parsed,
            "tasks": {"total": self.progress.total, "run": self.progress.tasks_started,
                      "up_to_date": self.progress.up_to_date,
                      "attempted": self.progress.attempted},
            "log": self.log, "build_dir": self.build_dir,
            "artifacts": [artifact.as_dict() for artifact in self.artifacts],
        }


@dataclasses.dataclass
class KasJob:
    """One kas invocation for a board: files, directories, environment."""

    board: object
    source: Path
    out_dir: Path
    host: object
    mixins: tuple = ()
    top_file: Path = None  # the file kas is given, when build-image wrote it

    @property
    def build_dir(self):
        return self.out_dir / f"build-{self.board.machine}"

    @property
    def config(self):
        if self.top_file:
            return str(self.top_file)
        return ":".join(str(path) for path in (self.board.kas_file, *self.mixins))

    def environment(self):
        extra = {"KAS_WORK_DIR": str(self.out_dir), "KAS_BUILD_DIR": str(self.build_dir)}
        # Downloads and shared state are shared by every board of one --out,
        # unless the caller points them elsewhere (as kas users do).
        for name, folder in (("DL_DIR", "downloads"), ("SSTATE_DIR", "sstate-cache")):
            extra[name] = os.environ.get(name) or str(self.out_dir / folder)
        return self.host.environment(extra)

    def command(self, *args):
        return self.host.command(*args)


def prepare(board_name, out_dir=None, dry_run=False, mixins=(), as_user=None):
    """Checks the host and the arguments; returns the ``KasJob`` to run."""
    source = source_dir()
    board = find_board(board_name, source)
    out = Path(out_dir or default_out_dir(source)).absolute()
    resolved = []
    for mixin in mixins:
        path = Path(mixin).resolve()
        if not path.is_relative_to(source.resolve()):
            raise MixinOutsideSource(
                f"--mixin {mixin} is outside {source}: kas joins only files of one "
                f"repository, so put it in this checkout (build/ is ignored by git)")
        if not path.is_file():
            raise MixinOutsideSource(f"--mixin {mixin}: no such file")
        resolved.append(path)
    host = check_host(out, dry_run=dry_run, as_user=as_user)
    out.mkdir(parents=True, exist_ok=True)
    if host.user:
        _check_readable(source, source / "kas" / "common.yml", host.user)
        _give_to(out, host.user)
    if board.config is None and not sources.is_installed():
        return KasJob(board, source, out, host, tuple(resolved))
    top = board_file.top_file(out, source, board.name, board.config, board.kas_file,
                              resolved)
    if host.user:
        _give_to(top.parent, host.user)
    job = KasJob(board, source, out, host, (), top)
    if board.config is not None:
        check_machine(job)
    return job


def default_out_dir(source):
    """build/yocto in a checkout; outside an installation, in the user's cache."""
    if sources.is_installed() and source == sources.root():
        return sources.cache_dir() / "yocto"
    return source / "build" / "yocto"


def check_machine(job):
    """Stops before bitbake when no layer of the board file has its machine."""
    result = subprocess.run(job.command("dump", job.config), cwd=job.out_dir,
                            env=job.environment(), capture_output=True, text=True,
                            stdin=subprocess.DEVNULL, check=False)
    if result.returncode != 0:
        lines = result.stderr.strip().splitlines() or [f"exit code {result.returncode}"]
        raise BuildFailed(f"kas cannot read {job.board.kas_file}: {lines[-1]}")
    board_file.check_machine(job.board.machine, yaml.safe_load(result.stdout),
                             job.out_dir, job.top_file.parent, job.board.kas_file)


def build(job, dry_run=False, on_progress=None):
    """Runs ``kas build`` (bitbake -n with ``dry_run``); returns a ``BuildResult``.

    Every line goes to a log file under ``OUT/logs``; ``on_progress`` is
    called with the ``BitbakeProgress`` each time it changes.
    """
    log_dir = job.out_dir / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    log_path = log_dir / f"{job.board.name}-{'dry-run-' if dry_run else ''}{stamp}.log"
    args = ["build", job.config] + (["--", "-n"] if dry_run else [])
    progress = BitbakeProgress()
    started = time.monotonic()
    with open(log_path, "w", encoding="utf-8", buffering=1) as log:
        log.write(f"$ {' '.join(job.command(*args))}\n")
        with subprocess.Popen(job.command(*args), cwd=job.source, env=job.environment(),
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              stdin=subprocess.DEVNULL, text=True,
                              errors="replace") as process:
            for line in process.stdout:
                log.write(line)
                if progress.feed(line) and on_progress:
                    on_progress(progress)
        code = process.returncode
    seconds = time.monotonic() - started
    if code != 0 or not progress.summary_seen or not progress.succeeded:
        raise BuildFailed(_failure_message(job, progress, code, log_path))
    artifacts = [] if dry_run else find_artifacts(job.build_dir, job.board.machine)
    return BuildResult(job.board.name, job.board.machine, dry_run, seconds, str(log_path),
                       str(job.build_dir), progress, artifacts)


def shell(job):
    """Runs an interactive ``kas shell`` for the board; returns its exit code."""
    return subprocess.call(job.command("shell", job.config), cwd=job.source,
                           env=job.environment())


def _failure_message(job, progress, code, log_path):
    where = f"build of {job.board.name} failed"
    if progress.failed:
        failed = progress.failed[0]
        more = f" (and {len(progress.failed) - 1} more)" if len(progress.failed) > 1 else ""
        task_log = f", its log: {failed.log}" if failed.log else ""
        return f"{where} at {failed}{more}{task_log}; full output: {log_path}"
    if progress.first_error:
        return f"{where}: {progress.first_error}; full output: {log_path}"
    return f"{where}: kas exited with code {code}; full output: {log_path}"


def _check_readable(source, kas_file, user):
    """kas reads this checkout as ``user``: every folder above it must let it in."""
    result = subprocess.run(["runuser", "-u", user, "--", "test", "-r", str(kas_file)],
                            capture_output=True, check=False)
    if result.returncode != 0:
        raise BuildFailed(f"user {user} cannot read {kas_file}: clone pynq-remote where "
                          f"{user} can read it, or make {source} and the folders above it "
                          f"readable (chmod o+rx)")


def _give_to(path, user):
    """Makes the --out folder writable for the user kas runs as."""
    import pwd
    entry = pwd.getpwnam(user)
    if path.stat().st_uid != entry.pw_uid:
        os.chown(path, entry.pw_uid, entry.pw_gid)
