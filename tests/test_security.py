"""Secure by default: TLS, mutual TLS, bearer tokens, roles, pairing, limits.

Every server here is the real binary on loopback (or 0.0.0.0 reached through
loopback); every client is the library or the CLI.
"""

import json
import os
import re
import ssl
import stat
import subprocess
import time

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc

import pynq_remote
import pynq_remote.board.gpio
import pynq_remote.board.interrupt
from cli_runner import run_cli
from pairing_code import pairing_code
from pynq_remote import MMIO, PermissionDenied, PynqRemoteUserError
from pynq_remote.board.clocks import set_pl_clock
from pynq_remote.connection.credentials import Credentials, load_config, save_config
from pynq_remote.errors import ConnectionFailed, ResourceExhausted, Unauthenticated
from pynq_remote.security.pairing import pair
from pynq_remote.security.pki import CertificateAuthority, init_pki, new_token
from pynq_remote.tools.server import LocalServer, find_server_binary
from pynq_remote.v1 import (bitstream_pb2, buffer_pb2, device_pb2, device_pb2_grpc, mmio_pb2,
                            pairing_pb2, pairing_pb2_grpc)

GPIO = 0xA0000000
UNAUTHENTICATED_NO_CREDENTIALS = (
    "this server needs credentials: a client certificate signed by its client CA, or an "
    "'authorization: Bearer TOKEN' header")


@pytest.fixture
def pki(tmp_path):
    """This user's CA and operator identity, in the test's own config folder."""
    init_pki(name="alice")
    return CertificateAuthority()


def _server_files(ca, tmp_path):
    out = tmp_path / "board"
    ca.issue("127.0.0.1", "", "server", usage="server", hosts=("127.0.0.1",), out=out)
    (out / "client-ca.pem").write_bytes(ca.ca_pem())
    return out


def _tls_device(ca, address, stem=None):
    """Credentials of the operator, or of the identity ``stem`` in the PKI folder."""
    stem = stem or "client"
    return pynq_remote.connect(address, credentials=Credentials(
        tls=True, ca=ca.ca_pem(), cert=(ca.directory / f"{stem}.pem").read_bytes(),
        key=(ca.directory / f"{stem}.key").read_bytes()))


def test_network_address_without_credentials_is_refused():
    result = subprocess.run([str(find_server_binary()), "--backend", "sim", "--listen",
                             "0.0.0.0:0"], capture_output=True, text=True, timeout=30)
    assert result.returncode == 2
    assert ("refusing to serve 0.0.0.0:0 without credentials: give --tls-cert and "
            "--tls-key with --client-ca and/or --tokens") in result.stderr


def test_insecure_warns_at_start_and_for_each_connection(tmp_path):
    log = tmp_path / "server.log"
    with open(log, "w") as stderr, \
            LocalServer(listen="0.0.0.0:0", extra_args=["--insecure"], stderr=stderr) as server:
        port = server.address.rpartition(":")[2]
        with pynq_remote.connect(f"127.0.0.1:{port}") as dev:
            dev.info()
            MMIO(GPIO, 0x10000, device=dev).write(0, 1)
    text = log.read_text()
    assert re.search(r"--insecure: 0\.0\.0\.0:\d+ serves anyone who reaches it", text)
    assert re.search(r"--insecure: serving ipv4:127\.0\.0\.1:\d+ without authentication",
                     text)


def test_mutual_tls_roles(pki, tmp_path):
    board = _server_files(pki, tmp_path)
    pki.issue("bob", "reader", "client-bob")
    with LocalServer(extra_args=["--tls-cert", board / "server.pem", "--tls-key",
                                 board / "server.key", "--client-ca",
                                 board / "client-ca.pem"]) as server:
        with _tls_device(pki, server.address) as alice:
            gpio = MMIO(GPIO, 0x10000, device=alice)
            gpio.write(0, 0x3)
            assert gpio.read(0) == 0x3
        with _tls_device(pki, server.address, "client-bob") as bob:
            gpio = MMIO(GPIO, 0x10000, device=bob)
            assert gpio.read(0) == 0x3
            with pytest.raises(PermissionDenied, match="'bob' is a reader and may not call "
                                                       "Write, which needs an operator"):
                gpio.write(0, 0x0)
        no_cert = Credentials(tls=True, ca=pki.ca_pem())
        with pynq_remote.connect(server.address, credentials=no_cert) as anonymous:
            with pytest.raises(Unauthenticated, match=re.escape(UNAUTHENTICATED_NO_CREDENTIALS)):
                anonymous.info()
            health = health_pb2_grpc.HealthStub(anonymous._channel)
            assert health.Check(health_pb2.HealthCheckRequest(), timeout=10).status == \
                health_pb2.HealthCheckResponse.SERVING
        with pynq_remote.connect(server.address, credentials=Credentials()) as plaintext:
            with pytest.raises(ConnectionFailed):
                plaintext.info()


def test_config_file_and_environment_pick_the_credentials(pki, tmp_path, monkeypatch,
                                                          capsys):
    board = _server_files(pki, tmp_path)
    with LocalServer(extra_args=["--tls-cert", board / "server.pem", "--tls-key",
                                 board / "server.key", "--client-ca",
                                 board / "client-ca.pem"]) as server:
        with pytest.raises(ConnectionFailed):  # not known as a TLS device yet
            pynq_remote.connect(server.address).info()
        monkeypatch.setenv("PYNQ_REMOTE_TLS", "1")
        with pynq_remote.connect(server.address) as dev:
            assert dev.info().board == "sim"
        monkeypatch.delenv("PYNQ_REMOTE_TLS")
        config = load_config()
        config["devices"] = {server.address: {"tls": True}}
        save_config(config)
        code, out, _ = run_cli(capsys, "mmio", "read", "-d", server.address, hex(GPIO + 8))
        assert (code, out.strip()) == (0, "0xa0000008: 0x00000005")


@pytest.fixture
def token_server(tmp_path):
    """A loopback server with an operator and a reader token."""
    operator, operator_line = new_token("olga", "operator")
    reader, reader_line = new_token("rita", "reader")
    tokens = tmp_path / "tokens"
    tokens.write_text(f"# role name sha256\n{operator_line}\n{reader_line}\n")
    with LocalServer(extra_args=["--tokens", tokens]) as server:
        yield server.address, operator, reader


def _with_token(address, token):
    return pynq_remote.connect(address, credentials=Credentials(token=token))


# One mutating call of each service that has them, made by a reader.
OPERATOR_CALLS = {
    "MmioService.Write": lambda d: d.call(d.mmio.Write, mmio_pb2.WriteRequest(
        address=GPIO, width=mmio_pb2.WIDTH_32, value=1)),
    "MmioService.Batch": lambda d: MMIO(GPIO, 0x10000, device=d).batch().write(0, 1).run(),
    "BufferService.AllocateBuffer": lambda d: d.allocate(4096, "u1"),
    "BufferService.FreeBuffer": lambda d: d.call(d.buffers.FreeBuffer,
                                                 buffer_pb2.FreeBufferRequest(handle=1)),
    "BitstreamService.ProgramBitstream": lambda d: d.call(
        d.bitstreams.ProgramBitstream, bitstream_pb2.ProgramBitstreamRequest(sha256="0" * 64)),
    "BitstreamService.UploadBitstream": lambda d: d.call(
        d.bitstreams.UploadBitstream, iter([bitstream_pb2.UploadBitstreamRequest(
            header=bitstream_pb2.UploadBitstreamHeader(sha256="0" * 64, size=4))])),
    "ClockService.SetPlClock": lambda d: set_pl_clock(d, 0, 100),
    "GpioService.WriteGpioLine": lambda d: pynq_remote.board.gpio.write_line(d, "gpiochip0", 78, 1),
    "GpioService.SetGpioDirection": lambda d: pynq_remote.board.gpio.set_direction(
        d, "gpiochip0", 78, "out"),
}

# One call of each service that a reader may make.
READER_CALLS = {
    "DeviceService.GetInfo": lambda d: d.info(),
    "DeviceService.Echo": lambda d: d.call(d.device.Echo, device_pb2.EchoRequest()),
    "MmioService.Read": lambda d: MMIO(GPIO, 0x10000, device=d).read(0),
    "MmioService.Batch(read)": lambda d: MMIO(GPIO, 0x10000, device=d).batch().read(0).run(),
    "SessionService.OpenSession": lambda d: d.session,
    "BufferService.ListBuffers": lambda d: pynq_remote.board.buffer.list_buffers(d),
    "BitstreamService.HasBitstream": lambda d: d.call(
        d.bitstreams.HasBitstream, bitstream_pb2.HasBitstreamRequest(sha256="0" * 64)),
    "ClockService.GetClocks": lambda d: pynq_remote.board.clocks.get_clocks(d),
    "GpioService.ListGpioLines": lambda d: pynq_remote.board.gpio.list_lines(d),
    "GpioService.ReadGpioLine": lambda d: pynq_remote.board.gpio.read_line(d, "gpiochip0", 78),
    "InterruptService.ListInterruptSubscriptions":
        lambda d: pynq_remote.board.interrupt.list_subscriptions(d),
}


@pytest.mark.parametrize("name", sorted(OPERATOR_CALLS))
def test_reader_token_may_not_mutate(token_server, name):
    address, _, reader = token_server
    with _with_token(address, reader) as dev:
        with pytest.raises(PermissionDenied, match="'rita' is a reader and may not call "
                                                   r"\w+, which needs an operator"):
            OPERATOR_CALLS[name](dev)


@pytest.mark.parametrize("name", sorted(READER_CALLS))
def test_reader_token_may_read_and_no_token_may_not(token_server, name):
    address, _, reader = token_server
    with _with_token(address, reader) as dev:
        READER_CALLS[name](dev)
    with pynq_remote.connect(address, credentials=Credentials()) as dev:
        with pytest.raises(Unauthenticated, match=re.escape(UNAUTHENTICATED_NO_CREDENTIALS)):
            READER_CALLS[name](dev)


def test_operator_token_may_mutate_and_wrong_token_is_refused(token_server):
    address, operator, _ = token_server
    with _with_token(address, operator) as dev:
        MMIO(GPIO, 0x10000, device=dev).write(0, 0x5)
        assert MMIO(GPIO, 0x10000, device=dev).read(0) == 0x5
        with dev.allocate(3 << 20, "u1") as buf:  # syncs carry the token too
            buf[:] = 0x5A
            assert buf.sync_to_device() == 3 << 20
            buf[:] = 0
            assert buf.sync_from_device() == 3 << 20 and (buf == 0x5A).all()
    with _with_token(address, "not-the-token") as dev:
        with pytest.raises(Unauthenticated, match="unknown bearer token"):
            dev.info()


def test_health_needs_no_credentials(token_server):
    address, _, _ = token_server
    with pynq_remote.connect(address, credentials=Credentials()) as dev:
        assert dev.ping() >= 0


def test_call_rate_limit_refuses_then_recovers(tmp_path):
    with LocalServer(extra_args=["--max-call-rate", "5"]) as server, \
            pynq_remote.connect(server.address) as dev:
        gpio = MMIO(GPIO, 0x10000, device=dev)
        refused = 0
        for _ in range(40):
            try:
                gpio.read(0)
            except ResourceExhausted as error:
                assert "exceeds the limit of 5 calls per second; slow down" in str(error)
                refused += 1
        assert refused > 0
        time.sleep(1.0)
        assert gpio.read(0) == 0  # the server kept serving


def test_pairing_from_fresh_board_to_mutual_tls(pki, tmp_path):
    credentials = tmp_path / "board-credentials"
    log = tmp_path / "server.log"
    with open(log, "w") as stderr, LocalServer(
            log_level="info", extra_args=["--credentials-dir", credentials],
            stderr=stderr) as server:
        code = pairing_code(log)
        fingerprint, secret = code.split("-")
        wrong_board = f"{'0' if fingerprint[0] != '0' else '1'}{fingerprint[1:]}-{secret}"
        with pytest.raises(PynqRemoteUserError, match="this is not the board that printed it"):
            pair(server.address, wrong_board)
        wrong_secret = f"{fingerprint}-{(int(secret) + 1) % 1000000:06d}"
        with pytest.raises(Unauthenticated, match="wrong pairing code"):
            pair(server.address, wrong_secret)
        info = pair(server.address, code)
        assert info.board == "sim"
        assert stat.S_IMODE((credentials / "server.key").stat().st_mode) == 0o600
        assert load_config()["devices"][server.address] == {"tls": True}
        with pynq_remote.connect(server.address) as dev:  # from the config file
            MMIO(GPIO, 0x10000, device=dev).write(0, 0x9)
    # A restart finds the credentials and does not pair again.
    with LocalServer(extra_args=["--credentials-dir", credentials]) as server:
        with _tls_device(pki, server.address) as dev:
            assert dev.info().board == "sim"
            stub = pairing_pb2_grpc.PairingServiceStub(dev._channel)
            with pytest.raises(grpc.RpcError) as error:
                stub.BeginPairing(pairing_pb2.BeginPairingRequest(code=code), timeout=10)
            assert error.value.code() == grpc.StatusCode.FAILED_PRECONDITION


def test_unpaired_board_refuses_everything_but_pairing(tmp_path):
    log = tmp_path / "server.log"
    with open(log, "w") as stderr, LocalServer(
            extra_args=["--credentials-dir", tmp_path / "creds"], stderr=stderr) as server:
        pairing_code(log)
        host, _, port = server.address.rpartition(":")
        board_pem = ssl.get_server_certificate((host, int(port))).encode()
        channel = grpc.secure_channel(server.address, grpc.ssl_channel_credentials(board_pem),
                                      options=[("grpc.ssl_target_name_override",
                                                "pynq-remote-pairing")])
        with channel, pytest.raises(grpc.RpcError) as error:
            device_pb2_grpc.DeviceServiceStub(channel).GetInfo(device_pb2.GetInfoRequest(),
                                                               timeout=10)
        assert error.value.code() == grpc.StatusCode.UNAUTHENTICATED
        assert error.value.details() == (
            "this board is not paired yet: run 'pynq-remote pair HOST --code CODE' with the "
            "code in the board's log")


def test_pki_writes_private_keys_0600_and_prints_no_secret(capsys):
    code, out, _ = run_cli(capsys, "pki", "init", "--name", "carol", "--json")
    assert code == 0
    result = json.loads(out)
    assert stat.S_IMODE(os.stat(result["key_path"]).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(CertificateAuthority().key_path).st_mode) == 0o600
    code, out, _ = run_cli(capsys, "pki", "token", "ci", "--role", "reader", "--json")
    token = json.loads(out)
    with open(token["token_file"]) as file:
        secret = file.read().strip()
    assert secret not in out and "PRIVATE KEY" not in out
    assert token["tokens_line"].startswith("reader ci ")
    assert stat.S_IMODE(os.stat(token["token_file"]).st_mode) == 0o600
    code, _, err = run_cli(capsys, "pki", "init")
    assert code == 2 and "a CA already exists" in err
