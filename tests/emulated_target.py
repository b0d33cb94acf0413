"""The emulated target, booted once per test session and shared by every
test that names the fixture ``target`` (or ``emulated_target``: its address).

One boot by the real `pynq-remote emulate --json` in the foreground, with its
run folder apart from the user's; stopped at the end by
`pynq-remote emulate --stop` from another process.
"""

import json
import os
import subprocess
import sys
import threading
import time

import pytest

from pynq_remote import emulate

# A fresh machine builds the Zynq-7000 kernel first (minutes at -j2).
BUILD_AND_BOOT_TIMEOUT_S = 1800


class Target:
    """The running emulated target, as `pynq-remote emulate --json` described it."""

    def __init__(self, state, run_dir, boot_wall_seconds):
        self.state = state
        self.address = state["address"]
        self.run_dir = run_dir
        self.boot_wall_seconds = boot_wall_seconds

    def console(self, command):
        """Runs ``command`` on the target's serial console; its output, stripped."""
        output, status = emulate.run_on_console(self.state["console_socket"], command)
        assert status == 0, f"{command!r} failed on the target ({status}): {output}"
        return output.strip()


def _read_json_document(stream, lines):
    for line in stream:
        lines.append(line)
        if line.rstrip("\n") == "}":
            return


def _boot(tmp_path_factory, soc):
    """One boot by `pynq-remote emulate --soc SOC --json` in the foreground
    (its run folder apart from the user's); stopped at the end by
    `pynq-remote emulate --stop` from another process."""
    run_dir = tmp_path_factory.mktemp(f"emulate-run-{soc}")
    env = dict(os.environ, PYNQ_REMOTE_EMULATE_RUN_DIR=str(run_dir))
    command = [sys.executable, "-m", "pynq_remote", "emulate", "--soc", soc, "--json"]
    started = time.monotonic()
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    lines = []
    reader = threading.Thread(target=_read_json_document, args=(process.stdout, lines),
                              daemon=True)
    reader.start()
    reader.join(BUILD_AND_BOOT_TIMEOUT_S)
    if not lines or lines[-1].rstrip("\n") != "}":
        process.kill()
        _, stderr = process.communicate()
        pytest.fail(f"`pynq-remote emulate --soc {soc}` did not get the target up: "
                    f"{stderr.strip()}")
    target = Target(json.loads("".join(lines)), run_dir, time.monotonic() - started)
    yield target

    stop = subprocess.run([sys.executable, "-m", "pynq_remote", "emulate", "--stop"],
                          env=env, capture_output=True, text=True, timeout=60)
    try:
        _, stderr = process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        raise
    assert stop.returncode == 0, stop.stderr
    assert process.returncode == 0, stderr
    assert "the emulated target stopped" in stderr
    assert emulate.read_state(run_dir) is None, "QEMU is still running"


@pytest.fixture(scope="session")
def target(tmp_path_factory):
    """The -M virt target, booted once per session."""
    yield from _boot(tmp_path_factory, "virt")


@pytest.fixture(scope="module", params=["zynq7000", "zynqmp"])
def soc_target(request, tmp_path_factory):
    """Each Xilinx SoC's target, booted once per module: pytest runs every
    test of one SoC, stops it, then boots the next."""
    yield from _boot(tmp_path_factory, request.param)


@pytest.fixture(scope="session")
def emulated_target(target):
    """The ``HOST:PORT`` of the emulated target."""
    return target.address
