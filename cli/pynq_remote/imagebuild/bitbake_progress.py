"""Reads bitbake's output, line by line, into what a progress bar shows.

kas prefixes the lines it logs with ``YYYY-MM-DD HH:MM:SS - LEVEL    - ``;
bitbake's own lines (knotty, not on a terminal) look like::

    Parsing of 2042 .bb files complete (0 cached, 2042 parsed). 3955 targets, ...
    NOTE: Running task 12 of 4048 (/x/poky/meta/recipes-core/busybox/busybox_1.36.1.bb:do_fetch)
    NOTE: Running noexec task 4048 of 4048 (/x/meta-pynq-remote/.../pynq-remote-image.bb:do_build)
    NOTE: Running setscene task 3 of 120 (virtual:native:/x/.../zlib_1.3.1.bb:do_populate_sysroot_setscene)
    ERROR: Logfile of failure stored in: /x/build/tmp/work/.../temp/log.do_compile.1234
    ERROR: Task (/x/.../grpc_1.60.1.bb:do_compile) failed with exit code '1'
    NOTE: Tasks Summary: Attempted 4048 tasks of which 0 didn't need to be rerun and all succeeded.
"""

import dataclasses
import os
import re

_KAS_PREFIX = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d - [A-Z]+ +- ")
_PARSED = re.compile(r"^Parsing of \d+ \.bb files complete \(\d+ cached, (\d+) parsed\)")
_RUNNING = re.compile(
    r"^NOTE: Running (?:noexec |setscene )?task (\d+) of (\d+) \((.+):(do_\w+)\)$")
_FAILED = re.compile(r"^ERROR: Task \((.+):(do_\w+)\) failed with exit code '(\d+)'")
_FAILED_LOG = re.compile(r"^ERROR: Logfile of failure stored in: (\S+)")
_SUMMARY = re.compile(r"^NOTE: Tasks Summary: Attempted (\d+) tasks of which (\d+) "
                      r"didn't need to be rerun and (all succeeded|\d+ failed)")
_ERROR = re.compile(r"^ERROR: (.*)$")


def recipe_name(task_file):
    """``virtual:native:/x/zlib_1.3.1.bb`` -> ``zlib-native``."""
    parts = task_file.split(":")
    name = os.path.basename(parts[-1])
    name = re.sub(r"\.bb$", "", name).split("_")[0]
    variants = parts[1:-1] if parts[0] == "virtual" else []
    if "native" in variants:
        return f"{name}-native"
    if "nativesdk" in variants:
        return f"nativesdk-{name}"
    return name


@dataclasses.dataclass
class FailedTask:
    recipe: str
    task: str
    log: str = ""

    def __str__(self):
        return f"{self.recipe}:{self.task}"


@dataclasses.dataclass
class BitbakeProgress:
    """What bitbake has reported so far; ``feed`` each line to it.

    ``recipes_parsed`` counts the recipes parsed in this run, not those
    bitbake took from its cache (0 when every recipe came from there).
    """

    recipes_parsed: int = 0
    task: int = 0
    total: int = 0
    recipe: str = ""
    current_task: str = ""
    attempted: int = 0
    up_to_date: int = 0
    summary_seen: bool = False
    succeeded: bool = False
    failed: list = dataclasses.field(default_factory=list)
    errors: list = dataclasses.field(default_factory=list)
    tasks_started: int = 0
    failure_logs: list = dataclasses.field(default_factory=list)

    def feed(self, line):
        """Takes one line of output; returns True if the progress changed."""
        line = _KAS_PREFIX.sub("", line.rstrip("\r\n"))
        if match := _RUNNING.match(line):
            self.task, self.total = int(match[1]), int(match[2])
            self.recipe, self.current_task = recipe_name(match[3]), match[4]
            self.tasks_started += 1
            return True
        if match := _PARSED.match(line):
            self.recipes_parsed = int(match[1])
            return True
        if match := _FAILED.match(line):
            failed = FailedTask(recipe_name(match[1]), match[2])
            # kas repeats bitbake's errors when it fails: count each task once.
            if not any(str(f) == str(failed) for f in self.failed):
                failed.log = self._log_of(failed.task)
                self.failed.append(failed)
            return True
        if match := _FAILED_LOG.match(line):
            # bitbake names the task's log just before the task's failure.
            self.failure_logs.append(match[1])
            for failed in self.failed:
                if not failed.log:
                    failed.log = self._log_of(failed.task)
            return False
        if match := _SUMMARY.match(line):
            self.summary_seen = True
            self.attempted = int(match[1])
            self.up_to_date = int(match[2])
            self.succeeded = match[3] == "all succeeded"
            return True
        if match := _ERROR.match(line):
            self.errors.append(match[1])
        return False

    def _log_of(self, task):
        used = {f.log for f in self.failed}
        for log in reversed(self.failure_logs):
            if os.path.basename(log).startswith(f"log.{task}.") and log not in used:
                return log
        return ""

    @property
    def first_error(self):
        return self.errors[0] if self.errors else ""
