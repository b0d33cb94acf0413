"""The Yocto layer and kas files, checked offline with the real kas and bitbake.

kas clones the pinned layer copies of shared/yocto (a kas file the tests
write points each repository's ``url`` there) into one work folder per test
session; each MACHINE gets one build folder, parsed once and shared by the
tests that follow (a parse is about 3 minutes on 2 cores, later bitbake calls
seconds). ``PYNQ_REMOTE_YOCTO_TEST_DIR`` keeps that folder between runs.

What CI checks per board (docs/image-build.md says the same):
  schema and oelint: every kas file and recipe;
  bitbake -p (full parse): qemuarm64, zcu104 (ZynqMP), pynq-z2 (Zynq-7000);
  bitbake -e (configuration only): kv260, ultra96v2, aup-zu3, which share
      zcu104's machine include and differ in device tree and memory only;
  bitbake -g: pynq-remote-image on qemuarm64, pynq-remote-sdcard on zcu104;
  pynq-remote build-image --dry-run (bitbake -n, whole task graph): qemuarm64;
  every board with kas/mixins/sysmon.yml, so the sysmon extension is found
  and passed to the server's CMake (bitbake -e pynq-remote-server);
  pynq-z2 (Zynq-7000): bitbake -g pynq-remote-sdcard holds the server built
      for armhf, and bitbake -e virtual/kernel's configuration fragments set
      what the linux backend uses of the kernel (ZYNQ_KERNEL_CONFIG).
"""

import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
import yaml

from cli_runner import run_cli
from pynq_remote import imagebuild
from yocto import KAS, REPO, as_user, offline_mixin, require_yocto_setup

pytestmark = pytest.mark.yocto

PARSED_BOARDS = ["qemuarm64", "zcu104", "pynq-z2"]
CONFIG_ONLY_BOARDS = ["kv260", "ultra96v2", "aup-zu3"]

# The target recipes whose packages the RAM-disk's do_rootfs depends on. The
# graph over-approximates the image (do_rootfs[recrdeptask] follows build
# dependencies too: linux-libc-headers, googletest, python3 for opkg-utils),
# so this list is the closure as it stands; a recipe outside it means the
# image grew something nobody asked for. Read it with:
#   bitbake -g pynq-remote-image; grep '"pynq-remote-image.do_rootfs" ->' task-depends.dot
IMAGE_CLOSURE = {
    # ours
    "packagegroup-pynq-remote", "pynq-remote-server",
    # the server's libraries
    "grpc", "protobuf", "abseil-cpp", "c-ares", "re2", "openssl", "zlib",
    # avahi for mDNS (only libavahi-core and libavahi-common land in the image)
    # and what its recipe's other packages and building it pull in
    "avahi", "libdaemon", "libnss-mdns", "glib-2.0", "gobject-introspection", "libpcre2",
    "libcap", "attr", "libxml2", "shadow", "shadow-securetty", "shared-mime-info",
    "python3-packaging", "python3-setuptools",
    # busybox system: init, mdev, init scripts, networking
    "busybox", "busybox-inittab", "base-files", "base-passwd", "initscripts",
    "init-ifupdown", "init-system-helpers", "netbase", "run-postinsts", "ttyrun",
    # C/C++ runtime, and what building and packaging those pulls in
    "glibc", "gcc-runtime", "libgcc", "libxcrypt", "libnsl2", "libtirpc",
    "linux-libc-headers", "linux-yocto", "ca-certificates", "opkg-utils", "googletest",
    "perl", "python3", "bash", "bash-completion", "bzip2", "expat", "gdbm", "libcap-ng",
    "libedit", "libffi", "ncurses", "sqlite3", "util-linux", "util-linux-libuuid", "xz",
}
# Never in a RAM-disk that runs one server.
# Every bitbake run here builds the server with the example extension, as a
# user's kas file would ask for it (docs/extensions.md).
SYSMON_MIXIN = REPO / "kas" / "mixins" / "sysmon.yml"
NEVER_IN_IMAGE = {"systemd", "eudev", "udev", "dbus", "openssh", "dropbear",
                  "packagegroup-core-boot", "kernel-image"}


@pytest.fixture(scope="session")
def yocto():
    require_yocto_setup()
    keep = os.environ.get("PYNQ_REMOTE_YOCTO_TEST_DIR")
    work = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="pynq-remote-yocto-",
                                                         dir="/var/tmp"))
    work.mkdir(parents=True, exist_ok=True)
    mixins = REPO / "build" / f"test-yocto-{os.getpid()}"
    mixins.mkdir(parents=True)
    workspace = Workspace(work, offline_mixin(mixins / "offline.yml"))
    yield workspace
    shutil.rmtree(mixins)
    if not keep:
        subprocess.run(["rm", "-rf", str(work)], check=False)
    print("\nYocto timings: " + ", ".join(f"{k} {v:.0f} s" for k, v in workspace.times.items()))


class Workspace:
    """One kas work folder; ``parsed(board)`` parses each MACHINE once."""

    def __init__(self, work, offline):
        self.work, self.offline = work, offline
        self.mixins = (offline, SYSMON_MIXIN)
        self.times = {}
        self._parsed = {}
        self._environments = {}

    def job(self, board, *mixins):
        return imagebuild.prepare(board, self.work, dry_run=True,
                                  mixins=[*self.mixins, *mixins], as_user=as_user())

    def bitbake(self, board, command, timeout=1500):
        """Runs ``command`` in a kas shell of ``board``; returns its output."""
        os.environ.setdefault("PYNQ_REMOTE_KAS", KAS)
        job = self.job(board)
        started = time.monotonic()
        result = subprocess.run(job.command("shell", job.config, "-c", command),
                                cwd=job.source, env=job.environment(), capture_output=True,
                                text=True, timeout=timeout, check=False)
        self.times[f"{board} {command.split()[1]}"] = time.monotonic() - started
        if result.returncode != 0:
            pytest.fail(f"`{command}` for {board} exited with {result.returncode}:\n"
                        f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
        return result.stdout + result.stderr

    def environment(self, board, recipe):
        """``bitbake -e recipe`` of a parsed ``board``, run once: its variables."""
        key = (board, recipe)
        if key not in self._environments:
            self.parsed(board)
            output = self.bitbake(board, f"bitbake -e {recipe}")
            self._environments[key] = dict(
                re.findall(r'^([A-Za-z_][\w-]*)="(.*)"$', output, re.M))
        return self._environments[key]

    def parsed(self, board):
        if board not in self._parsed:
            self._parsed[board] = self.bitbake(board, "bitbake -p")
        return self._parsed[board]

    def build_dir(self, board):
        return self.job(board).build_dir


@pytest.fixture(autouse=True)
def kas_program(monkeypatch):
    monkeypatch.setenv("PYNQ_REMOTE_KAS", KAS)


# -- static checks -----------------------------------------------------------

KAS_FILES = sorted((REPO / "kas").glob("*.yml"))
# Optional additions to a board's file (build-image --mixin), e.g. extensions.
KAS_MIXINS = sorted((REPO / "kas" / "mixins").glob("*.yml"))


@pytest.mark.parametrize("path", KAS_FILES + KAS_MIXINS, ids=lambda p: p.name)
def test_kas_file_matches_the_schema_of_installed_kas(path):
    import jsonschema
    from kas.configschema import CONFIGSCHEMA
    config = yaml.safe_load(path.read_text())
    jsonschema.validate(config, CONFIGSCHEMA)
    if path in KAS_FILES and path.name != "common.yml":
        assert config["header"]["includes"] == ["kas/common.yml"]
        assert config["machine"]


def test_common_kas_file_pins_every_repository():
    text = (REPO / "kas" / "common.yml").read_text()
    config = yaml.safe_load(text)
    assert config["distro"] == "pynq-remote"
    assert config["machine"] == "unset"
    assert config["defaults"]["repos"]["branch"] == "scarthgap"
    for name, repo in config["repos"].items():
        if name == "pynq-remote":
            assert "url" not in repo
            continue
        assert re.fullmatch(r"[0-9a-f]{40}", repo["commit"]), name
        assert re.search(rf'commit: "{repo["commit"]}"', text), f"{name}: quote the commit"
        assert repo["url"].startswith("https://")
    assert config["repos"]["meta-xilinx"]["branch"] == "rel-v2024.2"


def test_pinned_commits_are_the_shared_copies():
    from yocto import LAYER_REPOS, YOCTO
    config = yaml.safe_load((REPO / "kas" / "common.yml").read_text())
    for name, repo in LAYER_REPOS.items():
        head = subprocess.run(["git", "-C", str(YOCTO / repo), "rev-parse", "HEAD"],
                              capture_output=True, text=True, check=True).stdout.strip()
        assert config["repos"][name]["commit"] == head


def test_oelint_reports_nothing():
    layer = REPO / "meta-pynq-remote"
    files = sorted(str(p.relative_to(layer)) for p in layer.rglob("*")
                   if p.suffix in (".bb", ".bbappend", ".bbclass"))
    oelint = Path(os.sys.executable).with_name("oelint-adv")
    if not oelint.exists():
        pytest.fail(f"{oelint} missing: scripts/install-deps.sh installs requirements-ci.txt")
    result = subprocess.run([str(oelint), "--release", "scarthgap", "--quiet", *files],
                            cwd=layer, capture_output=True, text=True, check=False)
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


def test_server_recipe_version_is_the_cmake_project_version():
    cmake = (REPO / "target-server" / "CMakeLists.txt").read_text()
    version = re.search(r"project\(pynq-remote-server VERSION ([\d.]+)", cmake)[1]
    recipes = list((REPO / "meta-pynq-remote").rglob("pynq-remote-server_*.bb"))
    assert [r.name for r in recipes] == [f"pynq-remote-server_{version}.bb"]


def test_layer_holds_no_absolute_paths():
    layer = REPO / "meta-pynq-remote"
    pattern = re.compile(r"(?<![\w}$@.])/(home|work|opt|root|tmp|var/tmp|usr/local)/")
    for path in layer.rglob("*"):
        if path.is_file() and path.suffix in (".bb", ".bbappend", ".bbclass", ".conf",
                                              ".inc", ".wks"):
            for number, line in enumerate(path.read_text().splitlines(), 1):
                assert not pattern.search(line), f"{path}:{number}: {line}"


def test_server_command_line_lives_in_one_file():
    files = REPO / "meta-pynq-remote" / "recipes-connectivity" / "pynq-remote-server" / "files"
    default = (files / "pynq-remote-server.default").read_text()
    assert "PYNQ_REMOTE_SERVER_ARGS=\"--backend linux --listen @LISTEN@" in default
    for name in ("pynq-remote-server.service", "pynq-remote-server-supervise"):
        text = (files / name).read_text()
        assert "default/pynq-remote-server" in text and "$PYNQ_REMOTE_SERVER_ARGS" in text
        assert "--listen" not in text and "--backend" not in text
    assert "Restart=always" in (files / "pynq-remote-server.service").read_text()


# -- bitbake, offline ---------------------------------------------------------

@pytest.mark.parametrize("board", PARSED_BOARDS)
def test_bitbake_parses_every_recipe(yocto, board):
    output = yocto.parsed(board)
    match = re.search(r"Parsing of (\d+) \.bb files complete .* (\d+) errors", output)
    if match:
        assert int(match[1]) > 1900 and match[2] == "0"
    else:  # a kept PYNQ_REMOTE_YOCTO_TEST_DIR: every recipe came from the cache
        cached = re.search(r"Loaded (\d+) entries from dependency cache", output)
        assert cached and int(cached[1]) > 3000, output[-2000:]
    assert not re.search(r"^(ERROR|WARNING):", output, re.M), output[-3000:]


@pytest.mark.parametrize("board", CONFIG_ONLY_BOARDS)
def test_board_configuration_parses(yocto, board):
    machine = imagebuild.board(board).machine
    output = yocto.bitbake(board, "bitbake -e")
    env = dict(re.findall(r'^([A-Za-z_][\w-]*)="(.*)"$', output, re.M))
    assert env["MACHINE"] == machine
    assert env["DISTRO"] == "pynq-remote"
    assert env["SOC_FAMILY"] == "zynqmp"
    assert env["KERNEL_DEVICETREE"].startswith("xilinx/zynqmp-")
    assert env["PYNQ_REMOTE_CARVEOUT"] == "0x60000000:0x20000000"
    assert "mem=1536M" in env["PRE_BOOTENV"]


def _task_graph(yocto, board, target):
    yocto.parsed(board)
    yocto.bitbake(board, f"bitbake -g {target}")
    edges = (yocto.build_dir(board) / "task-depends.dot").read_text()
    return re.findall(r'^"([^"]+)\.(do_\w+)" -> "([^"]+)\.(do_\w+)"', edges, re.M)


def test_image_task_graph_holds_the_server_and_nothing_unintended(yocto):
    edges = _task_graph(yocto, "qemuarm64", "pynq-remote-image")
    rootfs = {dep for pn, task, dep, dep_task in edges
              if (pn, task) == ("pynq-remote-image", "do_rootfs")
              and dep_task == "do_package_write_ipk"}
    assert {"pynq-remote-server", "grpc", "protobuf", "busybox"} <= rootfs
    target = {pn for pn in rootfs if not pn.endswith(("-native", "-cross"))
              and not pn.startswith("nativesdk-")}
    assert target - IMAGE_CLOSURE == set()
    assert target & NEVER_IN_IMAGE == set()
    server = {dep for pn, task, dep, _ in edges
              if (pn, task) == ("pynq-remote-server", "do_prepare_recipe_sysroot")}
    assert {"avahi", "grpc", "grpc-native", "protobuf", "protobuf-native", "openssl"} <= server


def test_sdcard_task_graph_boots_the_ram_disk(yocto):
    edges = _task_graph(yocto, "zcu104", "pynq-remote-sdcard")
    wic = {(dep, dep_task) for pn, task, dep, dep_task in edges
           if (pn, task) == ("pynq-remote-sdcard", "do_image_wic")}
    assert ("pynq-remote-image", "do_image_complete") in wic
    recipes = {dep for _, _, dep, _ in edges}
    assert {"linux-xlnx", "u-boot-xlnx-scr", "pynq-remote-server"} <= recipes


def test_server_recipe_builds_the_extensions_asked_for(yocto):
    """kas/mixins/sysmon.yml's one variable reaches the server's CMake."""
    yocto.parsed("qemuarm64")  # the recipe's data comes from that parse's cache
    output = yocto.bitbake("qemuarm64", "bitbake -e pynq-remote-server")
    env = dict(re.findall(r'^([A-Za-z_][\w-]*)="(.*)"$', output, re.M))
    assert env["PYNQ_REMOTE_EXTENSIONS"].split() == ["sysmon"]
    assert "file://extensions/sysmon" in env["SRC_URI"].split()
    assert f"'-DPYNQ_REMOTE_EXTENSIONS={env['WORKDIR']}/extensions/sysmon'" in env["EXTRA_OECMAKE"]


def _mixin_args(yocto):
    return [arg for mixin in yocto.mixins for arg in ("--mixin", mixin)]


def test_build_image_dry_run_reports_bitbake_progress(yocto, capsys):
    yocto.parsed("qemuarm64")
    started = time.monotonic()
    code, out, err = run_cli(capsys, "build-image", "qemuarm64", "--dry-run", "--json",
                             "--out", yocto.work, *_mixin_args(yocto),
                             *(["--as-user", as_user()] if as_user() else []))
    yocto.times["qemuarm64 build-image --dry-run"] = time.monotonic() - started
    assert code == 0, err[-3000:]
    summary = json.loads(out)
    tasks = summary["tasks"]
    assert summary["board"] == "qemuarm64" and summary["dry_run"] is True
    # The parse of test_bitbake_parses_every_recipe is reused, not redone.
    assert summary["recipes_parsed"] == 0
    assert tasks["total"] > 1000
    # bitbake prints no "Running task" line for a task whose stamp is current.
    assert tasks["total"] == tasks["attempted"] == tasks["run"] + tasks["up_to_date"]
    assert summary["artifacts"] == []
    # Progress as a CI log shows it: a line per tenth, from bitbake's own counts.
    assert "qemuarm64 (dry run): parsing recipes" in err
    assert re.search(rf"qemuarm64 \(dry run\): task {tasks['total']} of {tasks['total']} "
                     rf"\(100%\) pynq-remote-image:do_build", err), err[-2000:]
    assert len(re.findall(r"task \d+ of \d+ \(\d+%\)", err)) >= 10
    log = Path(summary["log"]).read_text()
    assert f"Attempted {tasks['total']} tasks" in log
    print(f"\ndry run: {tasks['total']} tasks in {summary['seconds']} s")


def test_failed_task_is_named_with_its_log(yocto, capsys):
    """A real (not dry) build that must fail offline: fetching grpc."""
    yocto.parsed("qemuarm64")
    fetch = yocto.offline.with_name("fetch-grpc.yml")
    fetch.write_text("header:\n  version: 16\ntarget:\n  - grpc\ntask: fetch\n")
    code, _, err = run_cli(capsys, "build-image", "qemuarm64", "--out", yocto.work,
                           *_mixin_args(yocto), "--mixin", fetch,
                           *(["--as-user", as_user()] if as_user() else []))
    assert code == 2
    match = re.search(r"^error: build of qemuarm64 failed at grpc:do_fetch, its log: "
                      r"(\S+/temp/log\.do_fetch\.\d+); full output: (\S+\.log)$", err, re.M)
    assert match, err[-2000:]
    assert Path(match[1]).is_file() and Path(match[2]).is_file()


@pytest.mark.parametrize("board, fragment", [("zcu104", "sysmon-zynqmp.cfg"),
                                             ("pynq-z2", "sysmon-zynq.cfg")])
def test_kernel_has_the_system_monitor_when_sysmon_is_built(yocto, board, fragment):
    """With the sysmon mixin, the board's kernel gets its AMS or XADC driver."""
    src_uri = yocto.environment(board, "virtual/kernel")["SRC_URI"].split()
    assert f"file://{fragment}" in src_uri


# What the linux backend uses of a Zynq-7000 kernel (issue #23); None is
# "is not set". MMIO, the SLCR's PL clocks and the carve-out go through
# /dev/mem, unrestricted: a dedicated RAM-disk keeps no driver's registers
# from the server. The server reads no debugfs (the PS reference clock comes
# from the device tree), so DEBUG_FS is not asked for.
ZYNQ_KERNEL_CONFIG = {
    "CONFIG_DEVMEM": "y", "CONFIG_STRICT_DEVMEM": None,
    "CONFIG_FPGA": "y", "CONFIG_FPGA_MGR_ZYNQ_FPGA": "y", "CONFIG_OF_FPGA_REGION": "y",
    "CONFIG_OF_OVERLAY": "y", "CONFIG_OF_CONFIGFS": "y",
    "CONFIG_GPIO_ZYNQ": "y", "CONFIG_GPIO_CDEV": "y",
    "CONFIG_UIO": "y", "CONFIG_UIO_PDRV_GENIRQ": "y",
    "CONFIG_CMA": "y", "CONFIG_BLK_DEV_INITRD": "y",
    "CONFIG_IIO": "y", "CONFIG_XILINX_XADC": "y",  # the sysmon mixin is in every run
}


def _fragment_settings(env):
    """The CONFIG_ settings of the .cfg files in a kernel's SRC_URI, in order,
    each file found where bitbake's FILESPATH finds it."""
    settings = {}
    for entry in env["SRC_URI"].split():
        name = entry.removeprefix("file://").split(";")[0]
        if not entry.startswith("file://") or not name.endswith(".cfg"):
            continue
        found = [Path(d) / name for d in env["FILESPATH"].split(":") if (Path(d) / name).is_file()]
        assert found, f"{name}: not in FILESPATH"
        for line in found[0].read_text().splitlines():
            if match := re.fullmatch(r"(CONFIG_\w+)=(.*)", line):
                settings[match[1]] = match[2]
            elif match := re.fullmatch(r"# (CONFIG_\w+) is not set", line):
                settings[match[1]] = None
    return settings


def test_zynq7000_kernel_configuration_carries_what_the_server_uses(yocto):
    env = yocto.environment("pynq-z2", "virtual/kernel")
    assert env["PREFERRED_PROVIDER_virtual/kernel"] == "linux-xlnx"
    settings = _fragment_settings(env)
    assert {name: settings.get(name, "absent") for name in ZYNQ_KERNEL_CONFIG} \
        == ZYNQ_KERNEL_CONFIG


def test_zynq7000_image_holds_the_armhf_server(yocto):
    """The Pynq-Z2's SD card boots a RAM-disk with the server built for
    32-bit hard-float Arm (the Cortex-A9)."""
    edges = _task_graph(yocto, "pynq-z2", "pynq-remote-sdcard")
    wic = {(dep, dep_task) for pn, task, dep, dep_task in edges
           if (pn, task) == ("pynq-remote-sdcard", "do_image_wic")}
    assert ("pynq-remote-image", "do_image_complete") in wic
    rootfs = {dep for pn, task, dep, _ in edges if (pn, task) == ("pynq-remote-image", "do_rootfs")}
    assert {"pynq-remote-server", "grpc", "protobuf"} <= rootfs
    assert "linux-xlnx" in {dep for _, _, dep, _ in edges}
    server = yocto.environment("pynq-z2", "pynq-remote-server")
    assert server["TARGET_ARCH"] == "arm"
    assert {"armv7a", "neon", "callconvention-hard"} <= set(server["TUNE_FEATURES"].split())
