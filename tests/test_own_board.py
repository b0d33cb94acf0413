"""build-image with the user's own board file, outside the checkout: a few
lines that include kas/common.yml and name a machine and its layer
(docs/image-build.md, "Your own board"). The Yocto ones run kas and bitbake
offline on shared/yocto, as tests/test_yocto.py does."""

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from cli_runner import run_cli
from pynq_remote import imagebuild
from pynq_remote.imagebuild import BadBoardFile, UnknownMachine
from yocto import KAS, LAYER_REPOS, YOCTO, as_user, require_yocto_setup

# Digilent's Zybo: a board meta-xilinx-vendor knows and pynq-remote does not list.
BOARD_FILE = """\
# Digilent Zybo (Zynq-7010)
header:
  version: 16
  includes:
    - kas/common.yml
machine: {machine}
repos:
  meta-xilinx:
    layers:
      meta-xilinx-vendor:
"""


def offline(text):
    """The board file with every layer repository at its local copy, no network."""
    url = YOCTO / "meta-xilinx.git"
    text = text.replace("  meta-xilinx:\n", f"  meta-xilinx:\n    url: {url}\n")
    text += "".join(f"  {name}:\n    url: {YOCTO / repo}\n"
                    for name, repo in LAYER_REPOS.items() if name != "meta-xilinx")
    return text + ('local_conf_header:\n  offline: |\n    BB_NO_NETWORK = "1"\n'
                   '    INHERIT:remove = "uninative"\n')


@pytest.fixture
def kas_work(monkeypatch):
    require_yocto_setup()
    monkeypatch.setenv("PYNQ_REMOTE_KAS", KAS)
    work = Path(tempfile.mkdtemp(prefix="pynq-remote-own-board-", dir="/var/tmp"))
    yield work
    subprocess.run(["rm", "-rf", str(work)], check=False)


def test_board_file_without_a_machine_is_refused(tmp_path, capsys):
    board = tmp_path / "board.yml"
    board.write_text("header:\n  version: 16\n  includes:\n    - kas/common.yml\n")
    code, _, err = run_cli(capsys, "build-image", str(board), "--dry-run")
    assert code == 2
    assert err == (f"error: board file {board} names no machine: add a line "
                   f"`machine: NAME` (docs/image-build.md, \"Your own board\")\n")


def test_board_file_including_a_file_of_its_own_is_refused(tmp_path):
    board = tmp_path / "board.yml"
    board.write_text(BOARD_FILE.format(machine="zybo-zynq7").replace(
        "kas/common.yml", "site.yml"))
    with pytest.raises(BadBoardFile, match=r"^board file includes site.yml, which is not "
                       r"one of pynq-remote's kas files \(e.g. kas/common.yml"):
        imagebuild.prepare(str(board), tmp_path / "out", dry_run=True, as_user=as_user())


@pytest.mark.yocto
def test_unknown_machine_stops_before_bitbake_listing_the_layers_machines(tmp_path,
                                                                           kas_work):
    board = tmp_path / "board.yml"
    board.write_text(offline(BOARD_FILE.format(machine="zybo-z7-20")))
    with pytest.raises(UnknownMachine) as error:
        imagebuild.prepare(str(board), kas_work, dry_run=True, as_user=as_user())
    message = error.value.msg
    assert message.startswith(f"no configured layer defines machine 'zybo-z7-20' ({board}); "
                              f"the layers offer: ")
    offered = message.split("the layers offer: ")[1].split(" (add the layer")[0].split(", ")
    assert {"zybo-zynq7", "zedboard-zynq7", "zcu104-zynqmp", "qemuarm64"} <= set(offered)
    assert not list(kas_work.glob("build-*")), "bitbake ran"


@pytest.mark.yocto
def test_own_board_file_builds_the_task_graph_with_server_grpc_and_busybox(tmp_path,
                                                                          kas_work):
    board = tmp_path / "zybo.yml"
    board.write_text(offline(BOARD_FILE.format(machine="zybo-zynq7")))
    job = imagebuild.prepare(str(board), kas_work, dry_run=True, as_user=as_user())
    result = subprocess.run(job.command("shell", job.config, "-c",
                                        "bitbake -g pynq-remote-image"),
                            cwd=job.out_dir, env=job.environment(), capture_output=True,
                            text=True, timeout=1500, check=False)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    recipes = set((job.build_dir / "pn-buildlist").read_text().split())
    assert {"pynq-remote-server", "grpc", "busybox", "linux-xlnx"} <= recipes
    assert job.build_dir.name == "build-zybo-zynq7"
    shutil.rmtree(job.build_dir / "tmp", ignore_errors=True)
