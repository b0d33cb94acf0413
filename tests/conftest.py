import pytest

import pynq_remote.devices
from emulated_target import emulated_target, soc_target, target  # noqa: F401 (shared fixtures)
from installed_wheel import installation, installed_server, wheel  # noqa: F401 (shared)
from pynq_remote.tools.server import LocalServer


@pytest.fixture(autouse=True)
def isolated_environment(monkeypatch, tmp_path):
    """No test sees the developer's devices, config and credentials, or a
    default device of another test."""
    monkeypatch.delenv("PYNQ_REMOTE_DEVICES", raising=False)
    for name in ("TLS", "CA", "CERT", "KEY", "TOKEN"):
        monkeypatch.delenv(f"PYNQ_REMOTE_{name}", raising=False)
    monkeypatch.delenv("PYNQ_REMOTE_CONFIG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setattr(pynq_remote.devices, "_default_device", None)


@pytest.fixture(scope="session")
def sim_server():
    """The real pynq-remote-server with the sim board, on a free loopback port."""
    with LocalServer() as server:
        yield server


@pytest.fixture(scope="session")
def sim_address(sim_server):
    return sim_server.address


@pytest.fixture
def device(sim_address):
    with pynq_remote.connect(sim_address) as dev:
        yield dev
