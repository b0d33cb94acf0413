"""--pynq-remote-compat and the authorizer: the PYNQ.remote services follow
the same rules as v1, and never open a network port without --insecure."""

import subprocess

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc

from pynq_remote.compat import buffer_pb2, buffer_pb2_grpc, mmio_pb2, mmio_pb2_grpc
from pynq_remote.compat import remote_device_pb2 as rd
from pynq_remote.compat import remote_device_pb2_grpc as rd_grpc
from pynq_remote.security.pki import new_token
from pynq_remote.tools.server import LocalServer, find_server_binary

pytestmark = pytest.mark.integration

SERVICES = ("remote_device.RemoteDevice", "mmio.Mmio", "buffer.RemoteBuffer", "gpio.Gpio")


def start(*args):
    return subprocess.run([str(find_server_binary()), "--backend", "sim", *args],
                          capture_output=True, text=True, timeout=30)


def test_network_address_needs_insecure():
    result = start("--listen", "0.0.0.0:0", "--pynq-remote-compat", "on", "--insecure",
                   "--tls-cert", "x")
    assert result.returncode == 2  # --insecure with credentials: refused as before
    result = start("--listen", "0.0.0.0:0", "--pynq-remote-compat", "only")
    assert result.returncode == 2
    assert "refusing to serve 0.0.0.0:0 without credentials" in result.stderr
    result = start("--listen", "0.0.0.0:0", "--pynq-remote-compat", "bogus")
    assert result.returncode == 2
    assert "--pynq-remote-compat: expected on, off or only, got 'bogus'" in result.stderr


def test_network_address_with_credentials_refuses_compat(tmp_path):
    _, line = new_token("olga", "operator")
    tokens = tmp_path / "tokens"
    tokens.write_text(line + "\n")
    result = start("--listen", "0.0.0.0:0", "--pynq-remote-compat", "on",
                   "--tls-cert", str(tmp_path / "c"), "--tls-key", str(tmp_path / "k"),
                   "--tokens", str(tokens))
    assert result.returncode == 2
    assert ("--pynq-remote-compat: the PYNQ.remote protocol cannot authenticate its "
            "callers, so serving it on 0.0.0.0:0 needs --insecure") in result.stderr


def health(address, service):
    with grpc.insecure_channel(address) as channel:
        try:
            return health_pb2_grpc.HealthStub(channel).Check(
                health_pb2.HealthCheckRequest(service=service), timeout=5).status
        except grpc.RpcError as error:
            return error.code()


@pytest.mark.parametrize("mode,compat,v1", [("on", True, True), ("off", False, True),
                                             ("only", True, False)])
def test_modes_register_the_services(mode, compat, v1):
    with LocalServer(extra_args=["--pynq-remote-compat", mode]) as server:
        serving = health_pb2.HealthCheckResponse.SERVING
        for service in SERVICES:
            assert (health(server.address, service) == serving) == compat, service
        assert (health(server.address, "pynq_remote.v1.DeviceService") == serving) == v1


def test_default_is_on_for_the_sim_on_loopback(sim_address):
    assert health(sim_address, "mmio.Mmio") == health_pb2.HealthCheckResponse.SERVING


def test_insecure_network_server_serves_compat(tmp_path):
    with LocalServer(listen="0.0.0.0:0", extra_args=["--insecure"]) as server:
        port = server.address.rpartition(":")[2]
        assert health(f"127.0.0.1:{port}", "mmio.Mmio") == \
            health_pb2.HealthCheckResponse.SERVING


@pytest.fixture
def token_server(tmp_path):
    operator, operator_line = new_token("olga", "operator")
    reader, reader_line = new_token("rita", "reader")
    tokens = tmp_path / "tokens"
    tokens.write_text(f"{operator_line}\n{reader_line}\n")
    log = tmp_path / "server.log"
    with open(log, "w") as stderr, LocalServer(
            extra_args=["--tokens", tokens, "--pynq-remote-compat", "on"],
            stderr=stderr, log_level="info") as server:
        yield server.address, operator, reader, log


def call(address, token, method):
    metadata = [("authorization", f"Bearer {token}")] if token else []
    with grpc.insecure_channel(address) as channel:
        try:
            return method(channel, metadata)
        except grpc.RpcError as error:
            return error.code()


def get_mmio(channel, metadata):
    return mmio_pb2_grpc.MmioStub(channel).get_mmio(
        mmio_pb2.GetMmioRequest(base_addr=0xA0100000, length=0x1000), metadata=metadata,
        timeout=5).status


def mmio_write(channel, metadata):
    return mmio_pb2_grpc.MmioStub(channel).write(
        mmio_pb2.WriteRequest(mmio_id="mmio:0xa0100000:0x1000", data=b"\1\0\0\0"),
        metadata=metadata, timeout=5).status


def allocate(channel, metadata):
    return bool(buffer_pb2_grpc.RemoteBufferStub(channel).allocate(
        buffer_pb2.AllocateRequest(size=4096), metadata=metadata, timeout=5).buffer_id)


def write_firmware(channel, metadata):
    rd_grpc.RemoteDeviceStub(channel).writefile(
        iter([rd.WriteFileRequest(file_path="/lib/firmware/x.bin", data=b"1234")]),
        metadata=metadata, timeout=5)
    return True


def read_version(channel, metadata):
    return b"".join(r.data for r in rd_grpc.RemoteDeviceStub(channel).readfile(
        rd.ReadFileRequest(file_path="/proc/version"), metadata=metadata, timeout=5)) != b""


def test_compat_calls_go_through_the_authorizer(token_server):
    address, operator, reader, log = token_server
    assert "PYNQ.remote clients cannot do; their calls will be refused" in log.read_text()
    # pynq sends no credentials.
    for method in (get_mmio, read_version, mmio_write):
        assert call(address, None, method) == grpc.StatusCode.UNAUTHENTICATED
    # Readers read; writing, allocating and programming need an operator.
    assert call(address, reader, get_mmio) is True
    assert call(address, reader, read_version) is True
    for method in (mmio_write, allocate, write_firmware):
        assert call(address, reader, method) == grpc.StatusCode.PERMISSION_DENIED
        assert call(address, operator, method) is True
    assert "olga: mmio.write" in log.read_text()
