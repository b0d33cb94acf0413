"""A power switch for the sim board, for labgrid's ExternalPowerDriver.

    python sim_power.py on STATE_DIR HOST:PORT   # starts a sim server there
    python sim_power.py off STATE_DIR            # stops it (SIGTERM), if on

"on" returns at once, as a real switch does: the server then boots on its
own. Its pid is kept in STATE_DIR/server.pid, its log in STATE_DIR/server.log.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from pynq_remote.tools.server import server_command


def power_on(state, listen):
    if (state / "server.pid").exists():
        sys.exit(f"{state}: the sim board is already on")
    with open(state / "server.log", "ab") as log:
        server = subprocess.Popen(server_command(listen), stdin=subprocess.DEVNULL,
                                  stdout=log, stderr=log, start_new_session=True)
    (state / "server.pid").write_text(str(server.pid))


def power_off(state):
    pid_file = state / "server.pid"
    if not pid_file.exists():
        return
    pid = int(pid_file.read_text())
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + 10
    while running(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    if running(pid):
        os.kill(pid, signal.SIGKILL)
    pid_file.unlink()


def running(pid):
    """Whether ``pid`` runs; a zombie (exited, its parent "on" gone and not
    reaped yet) does not."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"


def main(argv):
    command, state = argv[1], Path(argv[2])
    if command == "on":
        power_on(state, argv[3])
    elif command == "off":
        power_off(state)
    else:
        sys.exit(f"unknown command {command!r}: use on or off")


if __name__ == "__main__":
    main(sys.argv)
