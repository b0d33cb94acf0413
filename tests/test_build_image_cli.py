"""``pynq-remote build-image`` without running kas: help, --list, host checks."""

import json
import os
import sys

import pytest

from cli_runner import run_cli
from pynq_remote import imagebuild
from pynq_remote.imagebuild import host_check

BOARDS = {"aup-zu3", "kv260", "pynq-z2", "qemuarm64", "ultra96v2", "zcu104"}


def test_help_explains_the_command(capsys):
    code, out, _ = run_cli(capsys, "build-image", "--help")
    assert code == 0
    for words in ("--list", "--out DIR", "--dry-run", "--shell", "--as-user NAME",
                  "--json", "DL_DIR", "SSTATE_DIR", "install-"):
        assert words in out


def test_list_names_every_board(capsys):
    code, out, _ = run_cli(capsys, "build-image", "--list")
    assert code == 0
    for board in BOARDS:
        assert board in out
    assert "zcu104-zynqmp" in out and "Boot firmware" in out


def test_list_json(capsys):
    code, out, _ = run_cli(capsys, "build-image", "--list", "--json")
    assert code == 0
    rows = {row["name"]: row for row in json.loads(out)}
    assert set(rows) == BOARDS
    assert rows["qemuarm64"]["machine"] == "qemuarm64"
    assert rows["pynq-z2"]["machine"] == "pynq-z2-zynq7"
    assert rows["kv260"]["kas_file"].endswith("kas/kv260.yml")


def test_no_board_is_a_usage_error(capsys):
    code, _, err = run_cli(capsys, "build-image")
    assert code == 2
    assert "name a BOARD" in err


def test_unknown_board(capsys):
    code, _, err = run_cli(capsys, "build-image", "zcu999")
    assert code == 2
    assert err == ("error: no board 'zcu999': choose one of aup-zu3, kv260, pynq-z2, "
                   "qemuarm64, ultra96v2, zcu104 (pynq-remote build-image --list)\n")


def test_missing_kas_is_one_line(capsys, monkeypatch):
    monkeypatch.setenv("PYNQ_REMOTE_KAS", "/nonexistent/kas")
    code, _, err = run_cli(capsys, "build-image", "qemuarm64", "--dry-run")
    assert code == 2
    assert err == ("error: PYNQ_REMOTE_KAS=/nonexistent/kas is not an executable kas: "
                   "pip install kas==5.5, or run scripts/install-yocto-deps.sh\n")


def test_kas_not_on_path(capsys, monkeypatch, tmp_path):
    monkeypatch.delenv("PYNQ_REMOTE_KAS", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python3"))
    with pytest.raises(imagebuild.HostNotReady, match="^kas is not installed"):
        imagebuild.check_host(tmp_path, dry_run=True)


def test_kas_beside_python_found_without_activation(monkeypatch, tmp_path):
    """``.venv/bin/pynq-remote`` finds ``.venv/bin/kas`` with the venv not on PATH."""
    monkeypatch.delenv("PYNQ_REMOTE_KAS", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    venv_bin = tmp_path / "venv" / "bin"
    venv_bin.mkdir(parents=True)
    (venv_bin / "kas").write_text("#!/bin/sh\n")
    (venv_bin / "kas").chmod(0o755)
    monkeypatch.setattr(sys, "executable", str(venv_bin / "python3"))
    assert host_check.find_kas() == str(venv_bin / "kas")


@pytest.fixture
def fake_kas(tmp_path, monkeypatch):
    kas = tmp_path / "kas"
    kas.write_text("#!/bin/sh\necho 'kas 5.5'\n")
    kas.chmod(0o755)
    monkeypatch.setenv("PYNQ_REMOTE_KAS", str(kas))
    return kas


def test_root_is_refused_with_the_way_out(capsys, monkeypatch, fake_kas):
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    code, _, err = run_cli(capsys, "build-image", "qemuarm64", "--dry-run")
    assert code == 2
    assert err == ("error: bitbake refuses to run as root: run pynq-remote as a normal "
                   "user, or pass --as-user NAME to run kas as that user "
                   "(scripts/install-yocto-deps.sh creates the user pynq-yocto)\n")


def test_as_user_must_exist(monkeypatch, fake_kas, tmp_path):
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    with pytest.raises(imagebuild.HostNotReady, match="no user 'no-such-user-x' for --as-user"):
        imagebuild.check_host(tmp_path, as_user="no-such-user-x")


def test_as_user_cannot_be_root(monkeypatch, fake_kas, tmp_path):
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    with pytest.raises(imagebuild.HostNotReady, match="bitbake refuses to run as root"):
        imagebuild.check_host(tmp_path, as_user="root")


def test_missing_host_tools_name_the_packages(monkeypatch, fake_kas, tmp_path):
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    monkeypatch.setattr(host_check, "_check_locale", lambda: None)
    present = set(host_check.HOST_TOOLS) - {"chrpath", "makeinfo"}
    monkeypatch.setattr(host_check.shutil, "which",
                        lambda tool, path=None: f"/usr/bin/{tool}" if tool in present else None)
    with pytest.raises(imagebuild.HostNotReady) as error:
        imagebuild.check_host(tmp_path, dry_run=True)
    assert error.value.msg == ("host tools that Yocto needs are missing: makeinfo, chrpath "
                               "(Debian/Ubuntu: sudo apt-get install chrpath texinfo)")


def test_missing_locale(monkeypatch, fake_kas, tmp_path):
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    monkeypatch.setattr(host_check.subprocess, "run", lambda *a, **k: _Output("C\nPOSIX\n"))
    with pytest.raises(imagebuild.HostNotReady, match="the en_US.UTF-8 locale is missing"):
        imagebuild.check_host(tmp_path, dry_run=True)


def test_too_little_disk(monkeypatch, fake_kas, tmp_path):
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    monkeypatch.setattr(host_check, "_check_locale", lambda: None)
    monkeypatch.setattr(host_check, "_check_tools", lambda host: None)
    monkeypatch.setattr(host_check.shutil, "disk_usage", lambda path: _Usage(2 * 2**30))
    with pytest.raises(imagebuild.HostNotReady) as error:
        imagebuild.check_host(tmp_path / "new" / "out")
    assert error.value.msg == (f"2.0 GiB free under {tmp_path}, a build needs 50 GiB: free "
                               f"some space or choose --out on a larger disk")


def test_mixin_must_be_inside_the_checkout(capsys, tmp_path):
    mixin = tmp_path / "site.yml"
    mixin.write_text("header:\n  version: 16\n")
    code, _, err = run_cli(capsys, "build-image", "qemuarm64", "--mixin", mixin)
    assert code == 2
    assert "is outside" in err and "kas joins only files of one repository" in err


class _Output:
    def __init__(self, stdout):
        self.stdout = stdout
        self.returncode = 0


class _Usage:
    def __init__(self, free):
        self.free = free
