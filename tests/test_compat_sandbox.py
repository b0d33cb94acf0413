"""The PYNQ.remote file calls never reach the filesystem outside the
server's own folders: ``..`` tricks, absolute paths elsewhere and a symbolic
link planted in the scratch area, through the real server."""

import os

import grpc
import pytest

from compat_support import CompatServer
from pynq_remote.compat import remote_device_pb2 as rd
from pynq_remote.compat import remote_device_pb2_grpc as rd_grpc

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with CompatServer(tmp_path_factory.mktemp("sandbox") / "server.log") as server:
        yield server


@pytest.fixture
def stub(server):
    with grpc.insecure_channel(server.address) as channel:
        yield rd_grpc.RemoteDeviceStub(channel)


def read(stub, path):
    return b"".join(r.data for r in stub.readfile(rd.ReadFileRequest(file_path=path),
                                                  timeout=10))


def write(stub, path, data=b"pwned"):
    stub.writefile(iter([rd.WriteFileRequest(file_path=path, data=data)]), timeout=10)


def exists(stub, path):
    return stub.existsfile(rd.ExistsFileRequest(file_path=path), timeout=10).exists


def snapshot(folder):
    """Every entry under ``folder`` with its size and modification time."""
    return {(root, name, os.lstat(os.path.join(root, name)).st_size,
             os.lstat(os.path.join(root, name)).st_mtime_ns)
            for root, dirs, files in os.walk(folder) for name in dirs + files}


@pytest.fixture
def outside(tmp_path):
    """A folder outside the server's, with a secret file in it."""
    (tmp_path / "secret").write_text("secret")
    return tmp_path


def escapes(outside):
    relative = os.path.relpath(outside, "/tmp")
    return [
        str(outside / "secret"),                          # absolute, elsewhere
        str(outside / "victim"),
        f"/tmp/../{outside.relative_to('/')}/secret",     # .. out of /tmp
        f"/tmp/{relative}/victim",                        # a subfolder of /tmp
        f"/lib/firmware/../../{outside.relative_to('/')}/victim",
        "/tmp/./secret", "/tmp//secret", "/tmp/..", "/etc/shadow", "/etc/passwd",
        "/proc/self/environ", "/sys/class/fpga_manager/fpga0/../../../../etc/passwd",
    ]


def test_reads_outside_are_not_found(stub, outside):
    before = snapshot(outside)
    for path in escapes(outside):
        with pytest.raises(grpc.RpcError) as error:
            read(stub, path)
        assert error.value.code() == grpc.StatusCode.NOT_FOUND, path
        assert not exists(stub, path), path
    assert snapshot(outside) == before


def test_writes_outside_are_permission_denied(stub, outside, server):
    before = snapshot(outside)
    scratch_before = snapshot(server.scratch_dir())
    for path in escapes(outside):
        with pytest.raises(grpc.RpcError) as error:
            write(stub, path)
        assert error.value.code() == grpc.StatusCode.PERMISSION_DENIED, path
    assert snapshot(outside) == before
    assert not (outside / "victim").exists()
    assert snapshot(server.scratch_dir()) == scratch_before


def test_symlink_planted_in_the_scratch_area_is_not_followed(stub, outside, server):
    scratch = server.scratch_dir()
    link = scratch / "planted"
    link.symlink_to(outside / "secret")
    before = snapshot(outside)
    assert not exists(stub, "/tmp/planted")
    with pytest.raises(grpc.RpcError) as error:
        read(stub, "/tmp/planted")
    assert error.value.code() == grpc.StatusCode.NOT_FOUND
    # A write replaces the link in the scratch area, never the file it names.
    write(stub, "/tmp/planted", b"mine")
    assert (outside / "secret").read_text() == "secret"
    assert snapshot(outside) == before
    assert not link.is_symlink() and link.read_bytes() == b"mine"
    assert read(stub, "/tmp/planted") == b"mine"


def test_scratch_area_has_a_size_limit(stub, server):
    chunk = b"\0" * (4 << 20)
    with pytest.raises(grpc.RpcError) as error:
        stub.writefile(iter([rd.WriteFileRequest(file_path="/tmp/huge", data=chunk)
                             for _ in range(17)]), timeout=30)
    assert error.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
    assert "holds at most 67108864 bytes" in error.value.details()
    assert not (server.scratch_dir() / "huge").exists()
