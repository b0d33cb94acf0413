"""`pynq-remote serve` runs the real server in the foreground until interrupted."""

import signal
import subprocess
import sys

import pytest

import pynq_remote
from pynq_remote.errors import ConnectionFailed, Unauthenticated
from pynq_remote.security.pki import new_token
from pynq_remote.tools.server import READY_PREFIX


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM])
def test_serve_sim_serves_until_stopped_and_takes_the_server_along(stop_signal):
    process = subprocess.Popen(
        [sys.executable, "-m", "pynq_remote", "serve", "--sim", "--listen", "127.0.0.1:0",
         "--log-level", "warning"], stdout=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
        assert line.startswith(READY_PREFIX)
        with pynq_remote.connect(line[len(READY_PREFIX):].strip()) as dev:
            assert dev.info().board == "sim"
            process.send_signal(stop_signal)
            assert process.wait(15) == 0
            with pytest.raises(ConnectionFailed):
                dev.info()
    finally:
        process.kill()
        process.stdout.close()


def test_serve_without_sim_explains_what_to_pass():
    result = subprocess.run([sys.executable, "-m", "pynq_remote", "serve"],
                            capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stderr == ("error: pass --sim: the host serves only the simulated board "
                             "(a board's own server starts at boot)\n")


def test_serve_sim_passes_credentials_and_refuses_the_network_without_them(tmp_path):
    _, line = new_token("ci", "reader")
    tokens = tmp_path / "tokens"
    tokens.write_text(line + "\n")
    process = subprocess.Popen(
        [sys.executable, "-m", "pynq_remote", "serve", "--sim", "--listen", "127.0.0.1:0",
         "--log-level", "warning", "--tokens", str(tokens)], stdout=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
        with pynq_remote.connect(line[len(READY_PREFIX):].strip()) as dev:
            with pytest.raises(Unauthenticated):
                dev.info()
    finally:
        process.terminate()
        process.wait(15)
        process.stdout.close()
    result = subprocess.run([sys.executable, "-m", "pynq_remote", "serve", "--sim",
                             "--listen", "0.0.0.0:0"], capture_output=True, text=True)
    assert result.returncode == 2
    assert "refusing to serve 0.0.0.0:0 without credentials" in result.stderr
