"""proto/breaking.sh, the CI check of docs/versioning.md, catches what breaks
the last release's wire contract and lets compatible changes through. Each
test edits a copy of proto/ and runs the script on it, offline."""

import shutil
import subprocess
from pathlib import Path

import pytest

PROTO = Path(__file__).resolve().parents[1] / "proto"


@pytest.fixture
def proto_copy(tmp_path):
    copy = tmp_path / "proto"
    shutil.copytree(PROTO, copy, ignore=shutil.ignore_patterns("node_modules"))
    return copy


def edit(path, old, new):
    text = path.read_text()
    assert old in text, f"{path.name} no longer holds {old!r}: update this test"
    path.write_text(text.replace(old, new, 1))


def breaking(proto_dir):
    return subprocess.run([PROTO / "breaking.sh", proto_dir], capture_output=True,
                          text=True, timeout=120)


def test_the_protos_as_committed_pass():
    result = breaking(PROTO)
    assert result.returncode == 0, result.stdout + result.stderr


def test_adding_a_field_and_an_rpc_passes(proto_copy):
    device = proto_copy / "pynq_remote" / "v1" / "device.proto"
    edit(device, "  uint64 size = 3;\n}",
         "  uint64 size = 3;\n  // A later addition.\n  string description = 4;\n}")
    edit(device, "service DeviceService {",
         "service DeviceService {\n  // A later addition.\n"
         "  rpc Reboot(RebootRequest) returns (RebootResponse);")
    with device.open("a") as file:
        file.write("\nmessage RebootRequest {}\n\nmessage RebootResponse {}\n")

    result = breaking(proto_copy)

    assert result.returncode == 0, result.stdout + result.stderr


def test_removing_a_field_fails_and_names_it(proto_copy):
    edit(proto_copy / "pynq_remote" / "v1" / "device.proto",
         "  uint64 base_address = 2;\n", "")

    result = breaking(proto_copy)

    assert result.returncode != 0
    assert ('pynq_remote/v1/device.proto' in result.stdout
            and 'field "2" with name "base_address" on message "MmioWindow" was deleted'
            in result.stdout), result.stdout + result.stderr


def test_removing_a_field_with_its_number_reserved_still_fails(proto_copy):
    # Reserving keeps the number from reuse, but old clients still lose the field.
    edit(proto_copy / "pynq_remote" / "v1" / "device.proto",
         "  uint64 base_address = 2;\n", "  reserved 2;\n  reserved \"base_address\";\n")

    result = breaking(proto_copy)

    assert result.returncode != 0
    assert '"base_address" on message "MmioWindow" was deleted' in result.stdout


def test_changing_a_field_type_fails_and_names_it(proto_copy):
    edit(proto_copy / "pynq_remote" / "v1" / "buffer.proto",
         "  uint64 size = 2;", "  uint32 size = 2;")

    result = breaking(proto_copy)

    assert result.returncode != 0
    assert ('Field "2" with name "size" on message "Buffer" changed type from "uint64" '
            'to "uint32"') in result.stdout, result.stdout + result.stderr


def test_renumbering_a_field_fails(proto_copy):
    edit(proto_copy / "pynq_remote" / "v1" / "session.proto",
         "  string client_name = 1;", "  string client_name = 3;")

    result = breaking(proto_copy)

    assert result.returncode != 0
    assert 'with name "client_name" on message "OpenSessionRequest"' in result.stdout


def test_moving_a_message_to_another_file_fails(proto_copy):
    # FILE rules: the Python module (device_pb2) that held it loses it.
    v1 = proto_copy / "pynq_remote" / "v1"
    edit(v1 / "device.proto", "message GetInfoRequest {}\n", "")
    with (v1 / "session.proto").open("a") as file:
        file.write("\nmessage GetInfoRequest {}\n")
    edit(v1 / "device.proto", 'package pynq_remote.v1;\n',
         'package pynq_remote.v1;\n\nimport "pynq_remote/v1/session.proto";\n')

    result = breaking(proto_copy)

    assert result.returncode != 0
    assert 'Previously present message "GetInfoRequest" was deleted from file' \
        in result.stdout, result.stdout + result.stderr


def test_changing_the_compat_protocol_fails_and_names_it(proto_copy):
    edit(proto_copy / "pynq_remote_compat" / "mmio.proto",
         "  uint64 base_addr = 1;", "  uint32 base_addr = 1;")

    result = breaking(proto_copy)

    assert result.returncode != 0
    assert ('pynq_remote_compat/mmio.proto' in result.stdout
            and 'name "base_addr" on message "GetMmioRequest" changed type'
            in result.stdout), result.stdout + result.stderr
