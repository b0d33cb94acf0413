"""Shared pieces of the PYNQ.remote compatibility tests.

``pynq_python()`` is the interpreter of .venv-pynq, where
scripts/install-pynq-venv.sh installs the official ``pynq`` 4.0.0 (apart
from our .venv: it pins its own grpcio, protobuf and numpy). It is installed
on first use; a failure fails the test, it never skips.

``pynq`` always dials port 7967 of the hosts in ``PYNQ_REMOTE_DEVICES``, so
``CompatServer`` serves 7967 on a loopback address of its own (127.x.y.z),
away from anything else on 127.0.0.1.
"""

import json
import os
import pathlib
import random
import re
import subprocess

import pytest

from pynq_remote.errors import PynqRemoteUserError
from pynq_remote.tools.server import LocalServer

TOP = pathlib.Path(__file__).resolve().parents[1]
PYNQ_PORT = 7967
_pynq_python = None


def pynq_python():
    """The .venv-pynq interpreter, installed once per test run."""
    global _pynq_python
    if _pynq_python is None:
        result = subprocess.run([TOP / "scripts" / "install-pynq-venv.sh"],
                                capture_output=True, text=True, timeout=1800)
        if result.returncode != 0:
            pytest.fail("cannot install pynq 4.0.0 into .venv-pynq "
                        f"(scripts/install-pynq-venv.sh):\n{result.stderr}")
        _pynq_python = result.stdout.strip().splitlines()[-1]
    return _pynq_python


class CompatServer:
    """The real server, sim board, on 127.x.y.z:7967, log at info level in a file."""

    def __init__(self, log_path, compat="on", extra_args=()):
        self.log_path = log_path
        self.compat = compat
        self.extra_args = list(extra_args)
        self.server = None
        self.host = None

    def __enter__(self):
        for _ in range(20):
            host = f"127.{random.randrange(1, 255)}.{random.randrange(0, 255)}." \
                   f"{random.randrange(1, 255)}"
            self._log = open(self.log_path, "w")
            server = LocalServer(listen=f"{host}:{PYNQ_PORT}", log_level="info",
                                 stderr=self._log,
                                 extra_args=["--pynq-remote-compat", self.compat,
                                             *self.extra_args])
            try:
                server.start()
            except PynqRemoteUserError:
                self._log.close()
                continue  # that address is taken
            self.server, self.host = server, host
            return self
        pytest.fail("no free loopback address for port 7967")

    @property
    def address(self):
        return self.server.address

    def scratch_dir(self):
        """The server's scratch folder behind /tmp, from its log."""
        match = re.search(r"scratch area for /tmp: (\S+)", self.log_path.read_text())
        assert match, self.log_path.read_text()
        return pathlib.Path(match.group(1))

    def __exit__(self, *exc):
        self.server.stop()
        self._log.close()


def pynq_environment(host):
    """This process's environment with pynq pointed at ``host`` only."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYNQ_REMOTE")}
    env["PYNQ_REMOTE_DEVICES"] = host
    return env


def run_pynq(host, script, cwd, timeout=180):
    """Runs ``script`` in the pynq 4.0.0 interpreter with PYNQ_REMOTE_DEVICES=host;
    returns the JSON object it prints last."""
    result = subprocess.run([pynq_python(), "-c", script], capture_output=True, text=True,
                            timeout=timeout, env=pynq_environment(host), cwd=cwd)
    assert result.returncode == 0, f"pynq script failed:\n{result.stdout}\n{result.stderr}"
    return json.loads(result.stdout.strip().splitlines()[-1])


def start_pynq(host, script, cwd):
    """Starts ``script`` as ``run_pynq`` does, with pipes for a conversation:
    the test reads its lines and answers on its stdin."""
    return subprocess.Popen([pynq_python(), "-c", script], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=pynq_environment(host), cwd=cwd)
