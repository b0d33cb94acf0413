"""scripts/build-packages.sh and the .deb packages of pynq-remote-server.

The amd64 package is made from the installed wheel's first-use build
(tests/installed_wheel.py), configured the same way, so CI compiles the host
server once for both; the arm64 package from the cross build the emulated
target boots. The amd64 package is installed on this machine (root), its
server started as its systemd unit says, asked for `info`, and purged.
"""

import json
import os
import pwd
import re
import shlex
import shutil
import socket
import stat
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from installed_wheel import REPO
from pynq_remote.emulate import artifacts

pytestmark = pytest.mark.packaging

VERSION = (REPO / "target-server" / "VERSION").read_text().strip()
DIST = REPO / "dist"
UNIT = Path("/lib/systemd/system/pynq-remote-server.service")


@pytest.fixture(scope="module")
def dist(installed_server):
    env = {**os.environ, "PYTHON": sys.executable,
           "PYNQ_REMOTE_HOST_BUILD": str(installed_server.binary.parent / "build")}
    result = subprocess.run([str(REPO / "scripts" / "build-packages.sh")], env=env,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    return DIST


def deb(dist, arch):
    return dist / f"pynq-remote-server_{VERSION}_{arch}.deb"


def control_field(package, field):
    return subprocess.run(["dpkg-deb", "--field", str(package), field], capture_output=True,
                          text=True, check=True).stdout.strip()


def test_build_packages_writes_sdist_wheel_and_debs(dist):
    assert (dist / f"pynq_remote-{VERSION}.tar.gz").is_file()
    assert (dist / f"pynq_remote-{VERSION}-py3-none-any.whl").is_file()
    assert deb(dist, "amd64").is_file() and deb(dist, "arm64").is_file()
    with tarfile.open(dist / f"pynq_remote-{VERSION}.tar.gz") as sdist:
        names = sdist.getnames()
    top = f"pynq_remote-{VERSION}/"
    assert top + "target-server/tests/CMakeLists.txt" in names
    assert top + "setup.py" in names and top + "kas/common.yml" in names
    assert not [name for name in names if "/build-" in name or "node_modules" in name]


@pytest.mark.parametrize("arch", ["amd64", "arm64"])
def test_deb_depends_on_the_distributions_grpc(dist, arch):
    assert control_field(deb(dist, arch), "Architecture") == arch
    depends = control_field(deb(dist, arch), "Depends")
    assert re.search(r"libgrpc\+\+1\.\d+", depends), depends
    assert "libprotobuf" in depends and "adduser" in depends


@pytest.mark.parametrize("arch", ["amd64", "arm64"])
def test_deb_is_lintian_clean(dist, arch):
    """No error or warning; a tag the package accepts is explained in
    target-server/packaging/lintian-overrides."""
    result = subprocess.run(["lintian", "--fail-on", "error,warning", str(deb(dist, arch))],
                            capture_output=True, text=True, check=False)
    assert (result.returncode, result.stdout) == (0, ""), result.stdout + result.stderr


def test_arm64_deb_holds_the_binary_the_emulated_target_runs(dist, tmp_path):
    subprocess.run(["dpkg-deb", "-x", str(deb(dist, "arm64")), str(tmp_path)], check=True)
    packaged = (tmp_path / "usr" / "bin" / "pynq-remote-server").read_bytes()
    emulated = artifacts.stripped(artifacts.CROSS_BUILT_SERVER, artifacts.cache_dir())
    assert packaged == emulated.read_bytes()


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def unit_command():
    """The unit's ExecStart with /etc/default's options, as systemd would run it."""
    unit = UNIT.read_text()
    exec_start = re.search(r"^ExecStart=(.*)$", unit, re.M)[1]
    options = re.search(r'^PYNQ_REMOTE_SERVER_ARGS="(.*)"$',
                        Path("/etc/default/pynq-remote-server").read_text(), re.M)[1]
    user = re.search(r"^User=(.*)$", unit, re.M)[1]
    command = shlex.split(exec_start.replace("$PYNQ_REMOTE_SERVER_ARGS", options))
    return ["runuser", "-u", user, "--", *command]


def test_amd64_deb_installs_serves_the_sim_board_and_purges_cleanly(dist, tmp_path):
    if os.geteuid() != 0:
        pytest.fail("installing the .deb needs root")
    package = deb(dist, "amd64")
    subprocess.run(["apt-get", "install", "-y", "-q", "--no-install-recommends",
                    str(package)], check=True, capture_output=True,
                   env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
    files = subprocess.run(["dpkg", "-L", "pynq-remote-server"], capture_output=True,
                           text=True, check=True).stdout.split()
    try:
        user = pwd.getpwnam("pynq-remote-server")
        credentials = Path("/var/lib/pynq-remote-server/credentials")
        mode = credentials.stat()
        assert (stat.S_IMODE(mode.st_mode), mode.st_uid) == (0o700, user.pw_uid)
        unit = UNIT.read_text()
        assert "Restart=on-failure" in unit and "LimitNOFILE=" in unit
        address = f"127.0.0.1:{free_port()}"
        # The packaged configuration, on a free port rather than 7967.
        command = [part.replace("127.0.0.1:7967", address) for part in unit_command()]
        server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True)
        try:
            assert server.stdout.readline() == f"pynq-remote-server listening on {address}\n"
            info = subprocess.run([sys.executable, "-m", "pynq_remote", "info", "-d",
                                   address, "--json"], capture_output=True, text=True,
                                  check=False)
            assert info.returncode == 0, info.stderr
            assert json.loads(info.stdout)["board"] == "sim"
        finally:
            server.terminate()
            server.communicate(timeout=30)
    finally:
        subprocess.run(["apt-get", "remove", "--purge", "-y", "-q", "pynq-remote-server"],
                       check=True, capture_output=True,
                       env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
    left = [path for path in files if os.path.exists(path) and not os.path.isdir(path)]
    assert left == []
    for folder in ("/var/lib/pynq-remote-server", "/usr/share/pynq-remote",
                   "/usr/share/doc/pynq-remote-server"):
        assert not Path(folder).exists(), folder
    assert not Path("/etc/default/pynq-remote-server").exists()
    with pytest.raises(KeyError):
        pwd.getpwnam("pynq-remote-server")
    assert shutil.which("pynq-remote-server") is None
