"""pynq-remote as users install it: the wheel built once per session, and
installed into a fresh virtual environment outside the checkout, whose
commands run with an environment that knows nothing of the checkout.

``installed_server`` is the first ``pynq-remote serve --sim`` of that
installation: it builds the server from the wheel's sources into the
installation's own cache folder (tests/test_deb.py packages that build).
"""

import dataclasses
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
# A build without ccache on 2 cores, on a busy machine: minutes.
FIRST_BUILD_TIMEOUT_S = 40 * 60
# Variables of the test run that would point the installation at the checkout.
CHECKOUT_VARIABLES = ("PYNQ_REMOTE_SERVER", "PYNQ_REMOTE_SOURCE", "PYNQ_REMOTE_SIM_CONFIG",
                      "PYNQ_REMOTE_TARGET_SERVER", "PYTHONPATH", "VIRTUAL_ENV")


@dataclasses.dataclass
class Installation:
    root: Path  # outside the checkout: the venv, the cache, the working folder
    env: dict

    @property
    def cli(self):
        return str(self.root / "venv" / "bin" / "pynq-remote")

    @property
    def cache(self):
        return self.root / "cache" / "pynq-remote"

    def run(self, *args, env=None, timeout=600):
        return subprocess.run([self.cli, *args], cwd=self.root,
                              env={**self.env, **(env or {})}, capture_output=True,
                              text=True, timeout=timeout, stdin=subprocess.DEVNULL,
                              check=False)


@dataclasses.dataclass
class ServedInstallation:
    installation: Installation
    address: str
    progress: list  # what `serve --sim` printed on stderr while it built the server
    binary: Path  # the server it built, in the installation's cache


def build_wheel(out_dir):
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation",
                    "--outdir", str(out_dir), str(REPO)], check=True,
                   capture_output=True, text=True)
    [wheel] = Path(out_dir).glob("pynq_remote-*.whl")
    return wheel


def clean_environment(root):
    env = {key: value for key, value in os.environ.items() if key not in CHECKOUT_VARIABLES}
    env["XDG_CACHE_HOME"] = str(root / "cache")
    env["XDG_CONFIG_HOME"] = str(root / "config")
    env.pop("PYNQ_REMOTE_DEVICES", None)
    return env


@pytest.fixture(scope="session")
def wheel(tmp_path_factory):
    """The wheel of this checkout, built once."""
    return build_wheel(tmp_path_factory.mktemp("wheel"))


@pytest.fixture(scope="session")
def installation(wheel, tmp_path_factory):
    """The wheel installed into a fresh venv (with CI's pins) outside the checkout."""
    root = tmp_path_factory.mktemp("installed")
    assert not root.resolve().is_relative_to(REPO)
    subprocess.run([sys.executable, "-m", "venv", str(root / "venv")], check=True)
    subprocess.run([str(root / "venv" / "bin" / "pip"), "install", "-q",
                    "--disable-pip-version-check", "-c", str(REPO / "requirements-ci.txt"),
                    str(wheel)], check=True, capture_output=True, text=True)
    return Installation(root, clean_environment(root))


@pytest.fixture(scope="session")
def installed_server(installation):
    """The installation's first `serve --sim`, which builds the server; its address."""
    process = subprocess.Popen([installation.cli, "serve", "--sim", "--listen", "127.0.0.1:0",
                                "--log-level", "warning"], cwd=installation.root,
                               env=installation.env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True)
    progress, ready = [], []
    stderr_reader = threading.Thread(target=lambda: progress.extend(process.stderr),
                                     daemon=True)
    stderr_reader.start()
    stdout_reader = threading.Thread(target=lambda: ready.append(process.stdout.readline()),
                                     daemon=True)
    stdout_reader.start()
    stdout_reader.join(FIRST_BUILD_TIMEOUT_S)
    prefix = "pynq-remote-server listening on "
    if not ready or not ready[0].startswith(prefix):
        process.kill()
        stderr_reader.join(5)
        pytest.fail(f"the installed `pynq-remote serve --sim` did not start: "
                    f"{''.join(progress[-20:])}")
    [binary] = (installation.cache / "server").glob("*/pynq-remote-server")
    yield ServedInstallation(installation, ready[0][len(prefix):].strip(), progress, binary)
    process.terminate()
    process.wait(30)
    process.stdout.close()
    process.stderr.close()
