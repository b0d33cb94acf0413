"""pynq-remote installed from its wheel into a fresh virtual environment
outside the checkout (tests/installed_wheel.py): the commands find the kas
files, the layer, the server's sources and the sim board the wheel carries.
"""

import json
import os
import subprocess
import sys
import zipfile

import pytest
import yaml

import pynq_remote
from installed_wheel import REPO
from pynq_remote.emulate import artifacts
from shared_data import overlay_file

pytestmark = pytest.mark.packaging

VERSION = (REPO / "target-server" / "VERSION").read_text().strip()
SHARE = "pynq_remote/share/"


def test_wheel_carries_the_layer_kas_files_server_sources_protos_and_guest_files(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in ("kas/common.yml", "kas/zcu104.yml", "kas/mixins/sysmon.yml",
                   "meta-pynq-remote/conf/layer.conf",
                   "meta-pynq-remote/recipes-connectivity/pynq-remote-server/"
                   f"pynq-remote-server_{VERSION}.bb",
                   "target-server/CMakeLists.txt", "target-server/VERSION",
                   "target-server/cmake/Dependencies.cmake",
                   "target-server/cmake/aarch64-linux-gnu.cmake",
                   "target-server/config/sim-board.textproto",
                   "target-server/packaging/pynq-remote-server.service",
                   "target-server/src/main.cpp",
                   "proto/pynq_remote/v1/mmio.proto",
                   "extensions/sysmon/CMakeLists.txt"):
        assert SHARE + needed in names, needed
    assert "pynq_remote/emulate/guest/rcS" in names
    shared = [name for name in names if name.startswith(SHARE)]
    assert not [name for name in shared if "/build" in name or "__pycache__" in name
                or "node_modules" in name]
    assert wheel.stat().st_size < 2 * 1024 * 1024


def test_the_version_comes_from_target_server_version(wheel):
    assert wheel.name == f"pynq_remote-{VERSION}-py3-none-any.whl"
    assert pynq_remote.__version__ == VERSION
    cmake = (REPO / "target-server" / "CMakeLists.txt").read_text()
    assert "project(pynq-remote-server VERSION ${pynq_remote_version}" in cmake


def test_installed_serve_builds_the_server_once_with_progress(installed_server):
    progress = "".join(installed_server.progress)
    assert "building pynq-remote-server (once; a few minutes)" in progress
    assert "building pynq-remote-server (once; a few minutes): 100%" in progress
    assert installed_server.binary.parent.parent == (
        installed_server.installation.cache / "server")
    assert os.access(installed_server.binary, os.X_OK)


def test_installed_info_mmio_and_deploy_answer(installed_server):
    installation, address = installed_server.installation, installed_server.address
    info = installation.run("info", "-d", address, "--json")
    assert info.returncode == 0, info.stderr
    assert json.loads(info.stdout)["server_version"] == VERSION
    read = installation.run("mmio", "read", "-d", address, "0xA0010004")
    assert (read.returncode, read.stdout) == (0, "0xa0010004: 0x000000ff\n"), read.stderr
    deploy = installation.run("deploy", "-d", address, "--json",
                              str(overlay_file("ultra96v2_axi_dma_gpio/"
                                               "Accumulator_bd_wrapper.xsa")))
    assert deploy.returncode == 0, deploy.stderr
    assert json.loads(deploy.stdout)[0]["design_name"] == "Accumulator_bd"


def test_a_second_serve_finds_the_built_server_in_the_cache(installed_server):
    installation = installed_server.installation
    process = subprocess.Popen([installation.cli, "serve", "--sim", "--listen",
                                "127.0.0.1:0"], cwd=installation.root, env=installation.env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=30)
    assert line.startswith("pynq-remote-server listening on 127.0.0.1:")
    assert "building" not in stderr


def test_installed_serve_without_build_tools_names_the_missing_packages(installation,
                                                                         tmp_path):
    """What the user sees on a machine without a compiler, cmake and gRPC's headers."""
    result = installation.run("serve", "--sim", env={
        "PATH": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path / "cache")})
    packages = ("cmake make g++ pkg-config protobuf-compiler protobuf-compiler-grpc "
                "libgrpc++-dev libprotobuf-dev libssl-dev libavahi-core-dev")
    assert result.returncode == 2
    assert result.stderr == (
        f"error: building pynq-remote-server needs Debian packages that are missing: "
        f"{packages} (install them: sudo apt-get install {packages})\n")


def test_installed_build_image_lists_the_boards_of_the_installed_kas_files(installation):
    result = installation.run("build-image", "--list", "--json")
    assert result.returncode == 0, result.stderr
    boards = {board["name"]: board for board in json.loads(result.stdout)}
    assert {"zcu104", "kv260", "pynq-z2", "qemuarm64"} <= set(boards)
    share = installation.root / "venv"
    assert all(board["kas_file"].startswith(str(share)) for board in boards.values())


def test_installed_kas_files_match_the_schema_of_kas(installation):
    import jsonschema
    from kas.configschema import CONFIGSCHEMA
    [share] = (installation.root / "venv").glob("lib/python*/site-packages/pynq_remote/share")
    kas_files = sorted((share / "kas").rglob("*.yml"))
    assert len(kas_files) >= 8
    for path in kas_files:
        jsonschema.validate(yaml.safe_load(path.read_text()), CONFIGSCHEMA)


@pytest.mark.emulate
def test_installed_emulate_boots_and_answers(installation, tmp_path):
    """The installed `emulate`, with the aarch64 server CI cross-built already
    (PYNQ_REMOTE_TARGET_SERVER) and the kernel and busybox in the shared cache."""
    server = artifacts.CROSS_BUILT_SERVER
    assert server.is_file(), "run scripts/cross-build-server.sh first"
    env = {**installation.env, "PYNQ_REMOTE_TARGET_SERVER": str(server),
           "PYNQ_REMOTE_EMULATE_CACHE": str(artifacts.cache_dir()),
           "PYNQ_REMOTE_EMULATE_RUN_DIR": str(tmp_path / "run")}
    process = subprocess.Popen([installation.cli, "emulate", "--json"], cwd=installation.root,
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    try:
        lines = []
        for line in process.stdout:
            lines.append(line)
            if line.rstrip("\n") == "}":
                break
        state = json.loads("".join(lines))
        info = installation.run("info", "-d", state["address"], "--json", env=env)
        assert info.returncode == 0, info.stderr
        assert json.loads(info.stdout)["platform"]
    finally:
        stop = installation.run("emulate", "--stop", env=env, timeout=60)
        process.communicate(timeout=60)
    assert stop.returncode == 0, stop.stderr


def test_pipx_installs_the_wheel(wheel, tmp_path):
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYNQ_")}
    env.update(PIPX_HOME=str(tmp_path / "pipx"), PIPX_BIN_DIR=str(tmp_path / "bin"),
               PIPX_MAN_DIR=str(tmp_path / "man"), XDG_CACHE_HOME=str(tmp_path / "cache"))
    installed = subprocess.run([sys.executable, "-m", "pipx", "install", str(wheel)],
                               env=env, capture_output=True, text=True, check=False)
    assert installed.returncode == 0, installed.stderr
    result = subprocess.run([str(tmp_path / "bin" / "pynq-remote"), "build-image", "--list"],
                            env=env, cwd=tmp_path, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "zcu104-zynqmp" in result.stdout
