"""``pynq-remote doctor`` against the real sim server and this host: one line
per check, a fix for what is wrong, --json, and the exit code."""

import json
import os
import re

import pytest

from cli_runner import run_cli
from pynq_remote.tools import doctor
from pynq_remote.connection.credentials import config_path, load_config, save_config
from pynq_remote.security.pki import CertificateAuthority, init_pki
from pynq_remote.tools.server import LocalServer

pytestmark = pytest.mark.integration

DEVICE_CHECKS = ["reachable", "api", "tls", "clock", "buffers", "fpga"]
HOST_CHECKS = ["python", "packages", "config", "identity", "image build"]
UNREACHABLE = "127.0.0.1:1"


def lines_of(out, scope):
    return [line for line in out.splitlines() if line.split()[1:2] == [scope]]


def test_a_healthy_sim_device_is_all_ok(capsys, sim_address):
    code, out, err = run_cli(capsys, "doctor", "-d", sim_address)

    assert code == 0, err
    device_lines = lines_of(out, sim_address)
    assert [line.split()[2].rstrip(":") for line in device_lines] == DEVICE_CHECKS
    assert all(line.startswith("ok ") for line in device_lines), out
    assert f"ok   {sim_address} api: api v1, server 0.1.0, client 0.1.0" in out
    assert f"ok   {sim_address} fpga: operating, design sim_base" in out
    assert re.search(rf"ok   {re.escape(sim_address)} clock: board is 0\.\d{{3}} s "
                     r"(ahead|behind)", out)
    assert "MiB free of 512.0 MiB (sim)" in out


def test_json_lists_every_check_of_host_and_device(capsys, sim_address):
    code, out, _ = run_cli(capsys, "doctor", "-d", sim_address, "--json")

    assert code == 0
    report = json.loads(out)
    assert report["ok"] is True
    findings = report["findings"]
    assert [f["name"] for f in findings if f["scope"] == "host"] == HOST_CHECKS
    device = [f for f in findings if f["scope"] == sim_address]
    assert [f["name"] for f in device] == DEVICE_CHECKS
    assert {f["status"] for f in device} == {"ok"}
    assert set(findings[0]) == {"scope", "name", "status", "detail", "fix"}


def test_an_unreachable_device_is_one_line_with_its_fix_and_fails(capsys):
    code, out, err = run_cli(capsys, "doctor", "-d", UNREACHABLE)

    assert code == 5
    device_lines = lines_of(out, UNREACHABLE)
    assert len(device_lines) == 1
    assert device_lines[0].startswith(f"fail {UNREACHABLE} reachable: cannot reach device "
                                      f"at {UNREACHABLE}")
    assert ("→ fix: check that the board is powered and on the network, that "
            "pynq-remote-server runs on it, and the address and port (-d)") in device_lines[0]
    assert err == f"error: 1 check(s) failed: reachable ({UNREACHABLE})\n"


def test_unreachable_in_json_is_still_parseable(capsys):
    code, out, err = run_cli(capsys, "doctor", "-d", UNREACHABLE, "--json")

    assert code == 5
    report = json.loads(out)
    assert report["ok"] is False
    [finding] = [f for f in report["findings"] if f["scope"] == UNREACHABLE]
    assert finding["status"] == "fail" and finding["fix"].startswith("check that the board")
    assert err.startswith("error: 1 check(s) failed")


def test_a_private_key_readable_by_others_gets_a_chmod_fix(capsys, sim_address):
    init_pki(name="alice")
    key = config_path().parent / "pki" / "client.key"
    os.chmod(key, 0o644)

    code, out, err = run_cli(capsys, "doctor")

    assert code == 5
    assert (f"fail host key: {key} is readable by others (mode 0644) → fix: chmod 600 "
            f"{key}") in out
    assert re.search(r"ok   host cert: .*client\.pem, valid until \d{4}-\d\d-\d\d", out)
    assert re.search(r"ok   host CA key: .*ca\.key \(mode 0600\)", out)
    assert err == "error: 1 check(s) failed: key (host)\n"


def test_a_paired_tls_device_is_all_ok_with_its_certificates(capsys, tmp_path):
    init_pki(name="alice")
    ca = CertificateAuthority()
    board = tmp_path / "board"
    ca.issue("127.0.0.1", "", "server", usage="server", hosts=("127.0.0.1",), out=board)
    with LocalServer(extra_args=["--tls-cert", board / "server.pem", "--tls-key",
                                 board / "server.key", "--client-ca", ca.cert_path]) as server:
        config = load_config()
        config["devices"] = {server.address: {"tls": True}}
        save_config(config)

        code, out, err = run_cli(capsys, "doctor", "-d", server.address)

    assert code == 0, out + err
    assert f"ok   {server.address} tls: mutual TLS" in out
    assert all(line.startswith("ok ") for line in lines_of(out, server.address)), out
    for name in ("ca", "cert", "key", "CA key"):
        assert re.search(rf"^ok   host {name}: ", out, re.MULTILINE), name


def test_an_unreadable_config_gets_a_fix(capsys):
    config_path().parent.mkdir(parents=True)
    config_path().write_text("- just\n- a list\n")

    code, out, _ = run_cli(capsys, "doctor")

    assert code == 5
    assert (f"fail host config: {config_path()}: the config must be a mapping → fix: "
            f"fix or remove {config_path()}") in out


def test_devices_come_from_the_environment_without_d(capsys, monkeypatch, sim_address):
    monkeypatch.setenv("PYNQ_REMOTE_DEVICES", f"{sim_address},{UNREACHABLE}")

    code, out, _ = run_cli(capsys, "doctor")

    assert code == 5
    assert len(lines_of(out, sim_address)) == len(DEVICE_CHECKS)
    assert len(lines_of(out, UNREACHABLE)) == 1


def test_without_devices_only_the_host_is_checked(capsys):
    code, out, _ = run_cli(capsys, "doctor")

    assert code == 0
    assert [line.split()[1] for line in out.splitlines()] == ["host"] * len(HOST_CHECKS)


def test_clock_skew_over_two_seconds_warns_with_a_fix():
    finding = doctor.check_clock("board:7967", -3.5)
    assert (finding.status, finding.detail) == (
        "warn", "board is 3.500 s behind: certificate validity and bitstream times "
                "depend on it")
    assert finding.fix.startswith("set the board's clock")
    assert doctor.check_clock("board:7967", 1.5).status == "ok"


def test_plain_connection_warns_off_loopback_only():
    assert doctor.check_tls("192.168.1.10:7967").status == "warn"
    assert "pynq-remote pair" in doctor.check_tls("192.168.1.10:7967").fix
    for address in ("127.0.0.1:7967", "localhost:7967", "[::1]:7967"):
        assert doctor.check_tls(address).status == "ok", address
