"""Runs a pynq-remote-server binary on this machine (the sim board, tests, benches)."""

import os
import pathlib
import shutil
import subprocess
import threading

from .. import sources
from ..errors import PynqRemoteUserError, ServerNotFound

SERVER_ENV = "PYNQ_REMOTE_SERVER"
SIM_CONFIG_ENV = "PYNQ_REMOTE_SIM_CONFIG"
READY_PREFIX = "pynq-remote-server listening on "

_PACKAGED_SIM_CONFIG = pathlib.Path("/usr/share/pynq-remote/sim-board.textproto")


def _no_progress(_message):
    pass


def find_server_binary(progress=_no_progress):
    """``$PYNQ_REMOTE_SERVER``; in a checkout its build or ``pynq-remote-server``
    on PATH; installed from a wheel, the server built from its sources on first
    use (``progress`` hears how that build goes)."""
    explicit = os.environ.get(SERVER_ENV)
    if explicit:
        if not os.access(explicit, os.X_OK):
            raise ServerNotFound(f"{SERVER_ENV}={explicit} is not an executable file")
        return pathlib.Path(explicit)
    if sources.is_installed():
        return sources.host_server(progress)
    checkout_build = sources.server_source_dir() / "build" / "pynq-remote-server"
    if os.access(checkout_build, os.X_OK):
        return checkout_build
    on_path = shutil.which("pynq-remote-server")
    if on_path:
        return pathlib.Path(on_path)
    raise ServerNotFound("pynq-remote-server not found: build it with "
                         f"scripts/build-server.sh or set {SERVER_ENV}")


def find_sim_config():
    """``$PYNQ_REMOTE_SIM_CONFIG`` or the sim board description shipped with the server."""
    explicit = os.environ.get(SIM_CONFIG_ENV)
    if explicit:
        return pathlib.Path(explicit)
    for path in (sources.sim_config(), _PACKAGED_SIM_CONFIG):
        if path.is_file():
            return path
    raise ServerNotFound(f"sim board configuration not found: set {SIM_CONFIG_ENV}")


def server_command(listen, backend="sim", config=None, log_level="warning",
                   extra_args=(), progress=_no_progress):
    """The command line that starts the server."""
    if backend == "sim" and config is None:
        config = find_sim_config()
    command = [str(find_server_binary(progress)), "--backend", backend, "--listen", listen,
               "--log-level", log_level]
    if config is not None:
        command += ["--config", str(config)]
    return command + list(extra_args)


class LocalServer:
    """A server process on this machine; ``start()`` returns its ``host:port``.

    The default ``listen`` of ``127.0.0.1:0`` lets the server pick a free port.
    The server's log goes to ``stderr`` (a file; default: this process's).
    """

    def __init__(self, listen="127.0.0.1:0", backend="sim", config=None,
                 log_level="warning", extra_args=(), ready_timeout=30.0, stderr=None):
        self.command = server_command(listen, backend, config, log_level, extra_args)
        self.stderr = stderr
        self.ready_timeout = ready_timeout
        self.process = None
        self.address = None

    def start(self):
        self.process = subprocess.Popen(self.command, stdout=subprocess.PIPE,
                                        stderr=self.stderr, text=True)
        line = self._ready_line()
        if not line.startswith(READY_PREFIX):
            self.stop()
            raise PynqRemoteUserError(
                f"pynq-remote-server did not start: {' '.join(self.command)}")
        self.address = line[len(READY_PREFIX):].strip()
        return self.address

    def _ready_line(self):
        lines = []
        reader = threading.Thread(target=lambda: lines.append(self.process.stdout.readline()),
                                  daemon=True)
        reader.start()
        reader.join(self.ready_timeout)
        return lines[0] if lines else ""

    def stop(self):
        """Stops the server with SIGTERM (SIGKILL after 10 s); returns its exit code."""
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process.stdout.close()
        return self.process.returncode

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()
