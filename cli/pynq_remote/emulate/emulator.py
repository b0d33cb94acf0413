"""Boots the emulated target in QEMU (``-M virt``, or a Xilinx SoC's model:
see ``socs``) and stops it.

QEMU runs daemonized in its own session (Ctrl-C in a terminal reaches only
the CLI, which then stops QEMU), with user-mode networking that forwards one
free loopback port to the server's port 7967 and the serial console on a Unix
socket, logged to a file. A state file in the run folder lets
``stop_running()`` find it from another process.
"""

import dataclasses
import itertools
import json
import os
import pathlib
import re
import signal
import socket
import subprocess
import time

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

from ..connection import channel
from ..errors import PynqRemoteUserError
from . import host, socs
from .artifacts import cache_dir

GUEST_PORT = 7967
DEFAULT_MEMORY_MIB = 256  # the kernel's (mem=)
DEFAULT_CARVEOUT_MIB = 64  # RAM above mem=, the server's buffer carve-out
DEFAULT_BOOT_TIMEOUT_S = 300.0
QEMUS = (b"qemu-system-aarch64", b"qemu-system-arm")
RUN_DIR_ENV = "PYNQ_REMOTE_EMULATE_RUN_DIR"
STATE_FILE = "state.json"
# What guest/pynq-remote prints each time the server exits; so many in a row
# while booting means it cannot start.
SERVER_EXITED = "pynq-remote-emulate: pynq-remote-server exited"
MAX_SERVER_EXITS = 3


class EmulatorError(PynqRemoteUserError):
    """The emulated target could not be started, reached or stopped."""


class AlreadyRunning(EmulatorError):
    pass


class NotRunning(EmulatorError):
    pass


def run_dir():
    """``$PYNQ_REMOTE_EMULATE_RUN_DIR``, else ``$XDG_RUNTIME_DIR/pynq-remote-emulate``,
    else the ``run`` folder of the cache."""
    explicit = os.environ.get(RUN_DIR_ENV)
    if explicit:
        return pathlib.Path(explicit)
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime:
        return pathlib.Path(runtime) / "pynq-remote-emulate"
    return cache_dir() / "run"


@dataclasses.dataclass(frozen=True)
class State:
    """What a running emulated target is; saved as JSON in the run folder."""

    pid: int
    address: str
    kernel_release: str
    carveout_base: int
    carveout_size: int
    console_socket: str
    console_log: str
    qemu_log: str
    boot_seconds: float  # None while booting
    soc: str = socs.DEFAULT

    def as_dict(self):
        return dataclasses.asdict(self)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _is_our_qemu(pid, console_socket):
    try:
        command = pathlib.Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    return (_alive(pid) and bool(command) and command[0].endswith(QEMUS)
            and any(console_socket.encode() in arg for arg in command))


def read_state(folder=None):
    """The ``State`` of the target running from ``folder``, or ``None``
    (a state file whose QEMU is gone is removed)."""
    path = pathlib.Path(folder or run_dir()) / STATE_FILE
    try:
        state = State(**json.loads(path.read_text()))
    except (OSError, ValueError, TypeError):
        return None
    if not _is_our_qemu(state.pid, state.console_socket):
        path.unlink(missing_ok=True)
        return None
    return state


def _alive(pid):
    """True while ``pid`` runs (a zombie waiting for its parent does not)."""
    try:
        stat = pathlib.Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rfind(")") + 2:][:1] not in ("Z", "X", "")


def _terminate(pid, timeout):
    """SIGTERM (QEMU then exits cleanly), SIGKILL after ``timeout`` s."""
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + timeout
    while _alive(pid):
        if time.monotonic() > deadline:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            return
        time.sleep(0.05)


def stop_running(folder=None, timeout=10.0):
    """Stops the target running from ``folder`` (another process's); returns its state."""
    folder = pathlib.Path(folder or run_dir())
    state = read_state(folder)
    if state is None:
        raise NotRunning(f"no emulated target is running (no live state in {folder})")
    _terminate(state.pid, timeout)
    (folder / STATE_FILE).unlink(missing_ok=True)
    return state


class Emulator:
    """One QEMU process booting ``artifacts`` (see ``artifacts.build``)."""

    def __init__(self, artifacts, folder=None, memory_mib=DEFAULT_MEMORY_MIB,
                 carveout_mib=DEFAULT_CARVEOUT_MIB, cpus=2,
                 boot_timeout=DEFAULT_BOOT_TIMEOUT_S, soc=socs.DEFAULT):
        if memory_mib < 128:
            raise EmulatorError(f"memory of {memory_mib} MiB is too small: the kernel "
                                "needs at least 128 MiB")
        if carveout_mib < 1:
            raise EmulatorError("the carve-out needs at least 1 MiB")
        self.soc = socs.get(soc)
        self.artifacts = artifacts
        # Absolute: daemonized QEMU changes to /.
        self.folder = pathlib.Path(folder or run_dir()).absolute()
        self.memory_mib = memory_mib
        self.carveout_mib = carveout_mib
        self.cpus = cpus
        self.boot_timeout = boot_timeout
        self.pid = None
        self.state = None

    @property
    def carveout(self):
        """(base, size) of the buffer carve-out: the RAM above ``mem=``."""
        return self.soc.ram_base + self.memory_mib * 2**20, self.carveout_mib * 2**20

    @property
    def address(self):
        return self.state.address if self.state else None

    @property
    def console_socket(self):
        return self.folder / "console.sock"

    @property
    def console_log(self):
        return self.folder / "console.log"

    def command(self, port):
        """The QEMU command line, forwarding 127.0.0.1:``port`` to the server."""
        soc = self.soc
        base, size = self.carveout
        append = " ".join(filter(None, (
            f"console={soc.console} mem={self.memory_mib}M quiet "
            f"pynq_remote.carveout={base:#x}:{size:#x}", soc.kernel_append)))
        device_tree = (["-dtb", str(self.artifacts.device_tree)]
                       if self.artifacts.device_tree else [])
        return [
            soc.qemu, *soc.machine, "-smp", str(min(self.cpus, soc.max_cpus)),
            "-m", f"{self.memory_mib + self.carveout_mib}M",
            "-nodefaults", "-no-user-config", "-display", "none",
            "-kernel", str(self.artifacts.kernel), "-initrd", str(self.artifacts.initrd),
            *device_tree, "-append", append,
            "-chardev", f"socket,id=console,path={self.console_socket},server=on,"
                        f"wait=off,logfile={self.console_log}",
            *["-serial", "null"] * soc.serial_ports_before_console,
            "-serial", "chardev:console",
            "-netdev", f"user,id=net0,hostfwd=tcp:127.0.0.1:{port}-:{GUEST_PORT}",
            *[part.format(netdev="net0") for part in soc.nic],
        ]

    def start(self, progress=lambda _message: None):
        """Boots QEMU and waits until the server's health service answers;
        returns the ``host:port`` to use. QEMU runs daemonized: it outlives
        this process unless ``stop()`` (or ``stop_running()``) ends it."""
        self.check_not_running()
        self.folder.mkdir(parents=True, exist_ok=True)
        pidfile, qemu_log = self.folder / "qemu.pid", self.folder / "qemu.log"
        for stale in (self.console_socket, self.console_log, pidfile):
            stale.unlink(missing_ok=True)
        progress(f"booting the emulated target ({self.soc.description}, TCG)")
        started = time.monotonic()
        for _ in range(3):  # the free port may be taken before QEMU binds it
            port = free_port()
            with open(qemu_log, "wb") as log:
                # QEMU's first process exits once the machine is set up.
                code = subprocess.call(
                    self.command(port) + ["-daemonize", "-pidfile", str(pidfile)],
                    stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                    start_new_session=True)
            if code == 0 or "host forwarding" not in _last_line(qemu_log):
                break
        if code != 0 or not pidfile.is_file():
            raise EmulatorError(f"QEMU did not start (exit code {code}): "
                                f"{_last_line(qemu_log)}")
        self.pid = int(pidfile.read_text().strip())
        base, size = self.carveout
        self.state = State(self.pid, f"127.0.0.1:{port}", self.artifacts.kernel_release,
                           base, size, str(self.console_socket), str(self.console_log),
                           str(qemu_log), None, self.soc.name)
        self._save_state()  # so that --stop finds QEMU while it boots
        try:
            self._wait_healthy(started)
        except BaseException:
            self.stop()
            raise
        self.state = dataclasses.replace(
            self.state, boot_seconds=round(time.monotonic() - started, 2))
        self._save_state()
        return self.state.address

    def check_not_running(self):
        """Raises ``MissingHostPackages`` without QEMU, ``AlreadyRunning`` when
        a target runs from this folder."""
        host.require("booting the emulated target",
                     tools=host.BOOT_TOOLS_ARM if self.soc.qemu == "qemu-system-arm"
                     else host.BOOT_TOOLS)
        running = read_state(self.folder)
        if running is not None:
            raise AlreadyRunning(
                f"an emulated target is already running at {running.address} (QEMU pid "
                f"{running.pid}); stop it with `pynq-remote emulate --stop`")

    def _save_state(self):
        path = self.folder / STATE_FILE
        partial = path.with_suffix(".partial")
        partial.write_text(json.dumps(self.state.as_dict()))
        partial.rename(path)

    def _wait_healthy(self, started):
        deadline = started + self.boot_timeout
        request = health_pb2.HealthCheckRequest()
        while True:
            if not _alive(self.pid):
                raise EmulatorError(f"QEMU exited while booting: "
                                    f"{_last_line(self.console_log)}")
            failure = server_failure(self.console_log)
            if failure:
                raise EmulatorError(f"the server on the emulated target keeps exiting: "
                                    f"{failure} (see {self.console_log})")
            # A new channel each time: slirp accepts connections before the
            # guest listens, and a channel's reconnect backoff would grow.
            with channel.open_channel(self.state.address) as probe:
                try:
                    answer = health_pb2_grpc.HealthStub(probe).Check(request, timeout=1.0)
                    if answer.status == health_pb2.HealthCheckResponse.SERVING:
                        return
                except grpc.RpcError:
                    pass
            if time.monotonic() > deadline:
                raise EmulatorError(
                    f"the emulated target's server did not answer within "
                    f"{self.boot_timeout:.0f} s; see {self.console_log}")
            time.sleep(0.2)

    @property
    def running(self):
        return self.pid is not None and _alive(self.pid)

    def wait(self, poll=0.5):
        """Blocks until QEMU exits."""
        while self.running:
            time.sleep(poll)

    def stop(self, timeout=10.0):
        """Stops QEMU: SIGTERM, then SIGKILL after ``timeout`` s."""
        if self.pid is None:
            return
        _terminate(self.pid, timeout)
        self.pid = None
        (self.folder / STATE_FILE).unlink(missing_ok=True)
        self.console_socket.unlink(missing_ok=True)

    def console(self, command, timeout=30.0):
        """Runs ``command`` in the target's root shell on its serial console;
        returns what it printed and its exit status."""
        return run_on_console(self.console_socket, command, timeout)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


_console_calls = itertools.count(1)


def run_on_console(console_socket, command, timeout=30.0):
    """Runs ``command`` in the root shell on the serial console behind
    ``console_socket``; returns ``(output, exit status)``."""
    marker = f"{os.getpid()}_{next(_console_calls)}"
    # The shell echoes what is typed: printf builds the markers, so they
    # appear whole only in its output.
    line = (f"printf '%s_%s\\n' BEGIN {marker}; {command}; "
            f"printf '%s_%s:%s\\n' END {marker} $?\n")
    begin = f"\nBEGIN_{marker}\n".encode()
    end = re.compile(rb"\nEND_" + marker.encode() + rb":(\d+)\n")
    received = b""
    deadline = time.monotonic() + timeout
    with socket.socket(socket.AF_UNIX) as console:
        console.settimeout(0.5)
        try:
            console.connect(str(console_socket))
        except OSError as error:
            raise EmulatorError(f"cannot open the serial console {console_socket}: "
                                f"{error.strerror}") from None
        console.sendall(b"\n" + line.encode())
        while not end.search(received.replace(b"\r", b"")):
            if time.monotonic() > deadline:
                raise EmulatorError(f"no answer on the serial console to {command!r} "
                                    f"within {timeout:.0f} s")
            try:
                chunk = console.recv(65536)
            except socket.timeout:
                continue
            if not chunk:
                raise EmulatorError("the serial console closed")
            received += chunk
    text = received.replace(b"\r", b"")
    match = end.search(text)
    start = text.rfind(begin, 0, match.start() + 1)
    output = text[start + len(begin):match.start() + 1] if start >= 0 else b""
    return output.decode(errors="replace"), int(match.group(1))


def server_failure(console_log):
    """The server's last words when the console shows it exited
    ``MAX_SERVER_EXITS`` times, else ``None``."""
    try:
        lines = pathlib.Path(console_log).read_text(errors="replace").splitlines()
    except OSError:
        return None
    exits = [i for i, line in enumerate(lines) if SERVER_EXITED in line]
    if len(exits) < MAX_SERVER_EXITS:
        return None
    before = [line.strip() for line in lines[exits[-2] + 1:exits[-1]]
              if line.strip() and not line.startswith("Try ")]
    return before[-1] if before else lines[exits[-1]].strip()


def _last_line(path):
    try:
        lines = pathlib.Path(path).read_text(errors="replace").strip().splitlines()
    except OSError:
        return ""
    return lines[-1] if lines else ""
