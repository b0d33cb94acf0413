"""The server's CMake path for a board build: gRPC found through its CMake
package, as in a Yocto sysroot (tests/test_cmake_package/sysroot maps the
gRPC:: and protobuf:: targets onto Debian's libraries, and names the
target's code generators, which must not run here). The build must take
that branch and run the build machine's own protoc and grpc_cpp_plugin.
Every proto is generated, and one generated gRPC file compiled: that needs
both generators and the packages' headers, in seconds rather than the
minutes of the whole server."""

import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SYSROOT = Path(__file__).resolve().parent / "test_cmake_package" / "sysroot"

pytestmark = pytest.mark.packaging


def test_server_builds_its_protos_against_a_sysroot_style_grpc_package(tmp_path):
    configure = subprocess.run(
        ["cmake", "-S", str(REPO / "target-server"), "-B", str(tmp_path),
         f"-DgRPC_DIR={SYSROOT / 'usr' / 'lib' / 'cmake' / 'grpc'}",
         "-DCMAKE_DISABLE_FIND_PACKAGE_Protobuf=ON", "-DPYNQ_REMOTE_BUILD_TESTS=OFF"],
        capture_output=True, text=True, check=False)
    assert configure.returncode == 0, configure.stdout + configure.stderr
    assert "pynq-remote: gRPC 1.51.1-sysroot from its CMake package" in configure.stdout
    cache = (tmp_path / "CMakeCache.txt").read_text()
    assert "PYNQ_REMOTE_PROTOC:FILEPATH=/usr/bin/protoc" in cache
    assert "PYNQ_REMOTE_GRPC_PLUGIN:FILEPATH=/usr/bin/grpc_cpp_plugin" in cache
    build = subprocess.run(["cmake", "--build", str(tmp_path), "--target",
                            "proto/pynq_remote/v1/session.grpc.pb.o"], capture_output=True,
                           text=True, check=False)
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    assert "ran on the build machine" not in build.stdout + build.stderr
    objects = tmp_path / "CMakeFiles" / "pynq_remote_proto.dir" / "proto" / "pynq_remote"
    objects = objects / "v1"
    assert (objects / "session.grpc.pb.cc.o").is_file()
