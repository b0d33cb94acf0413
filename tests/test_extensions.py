"""Extensions end to end: the sysmon example built into the server from
outside target-server/, its stubs built with `pynq-remote ext build`, called
through `Device.extension()`; and the leds example of docs/extensions.md,
taken from the page as a reader would copy it.

The server is built once into target-server/build-ext (kept between runs; a
plain build even when the suite runs against the ASan server), which on a
fresh 2-core machine takes minutes; later runs only check it is current.
"""

import importlib
import json
import os
import pathlib
import re
import subprocess
import sys
import time

import grpc
import pytest
from grpc_reflection.v1alpha.proto_reflection_descriptor_database import (
    ProtoReflectionDescriptorDatabase)

import pynq_remote
from cli_runner import run_cli
from pynq_remote.connection.credentials import Credentials
from pynq_remote.errors import (InvalidArgument, NotFound, ResourceExhausted,
                                Unauthenticated)
from pynq_remote.security.pki import new_token
from pynq_remote.tools.server import SERVER_ENV, LocalServer

pytestmark = pytest.mark.integration

TOP = pathlib.Path(__file__).resolve().parents[1]
SYSMON = TOP / "extensions" / "sysmon"
BUILD = TOP / "target-server" / "build-ext"
DOCS = TOP / "docs" / "extensions.md"
# Inside the build folder, so the docs example is rebuilt only when it changes.
LEDS = BUILD / "docs-example" / "leds"
SERVICE = "pynq_remote_ext.sysmon.v1.SysmonService"
UNIT_TESTS = "pynq_remote_extension_sysmon_tests"


def _run(*command):
    result = subprocess.run([str(c) for c in command], capture_output=True, text=True)
    assert result.returncode == 0, f"{' '.join(map(str, command))}:\n{result.stdout}\n{result.stderr}"
    return result


def _docs_files():
    """{path in the leds folder: text} of every "`leds/PATH`:" block of the page."""
    blocks = re.findall(r"^`leds/([^`]+)`:\n\n```\w*\n(.*?)^```", DOCS.read_text(),
                        re.M | re.S)
    return dict(blocks)


def _write_docs_example():
    files = _docs_files()
    assert sorted(files) == ["CMakeLists.txt", "proto/acme/leds/v1/leds.proto",
                             "src/led_service.cpp"]
    for name, text in files.items():
        path = LEDS / name
        if not path.is_file() or path.read_text() != text:  # keeps timestamps otherwise
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)


@pytest.fixture(scope="module")
def server_binary():
    """The server built with extensions/sysmon and the docs' leds example."""
    start = time.monotonic()
    _write_docs_example()
    _run("cmake", "-S", TOP / "target-server", "-B", BUILD, "-DCMAKE_BUILD_TYPE=RelWithDebInfo",
         f"-DPYNQ_REMOTE_EXTENSIONS={SYSMON};{LEDS}")
    _run("cmake", "--build", BUILD, "-j2", "--target", "pynq-remote-server", UNIT_TESTS)
    print(f"extension server build: {time.monotonic() - start:.1f} s", file=sys.stderr)
    return BUILD / "pynq-remote-server"


def _server(binary, extra_args=()):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(SERVER_ENV, str(binary))
        return LocalServer(extra_args=extra_args)


@pytest.fixture(scope="module")
def sysmon_address(server_binary):
    with _server(server_binary) as server:
        yield server.address


@pytest.fixture(scope="module")
def stubs(tmp_path_factory):
    """The generated modules, built by the CLI as a user would."""
    out = tmp_path_factory.mktemp("stubs")
    result = subprocess.run([sys.executable, "-m", "pynq_remote", "ext", "build", SYSMON,
                             "--out", out, "--json"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    built = json.loads(result.stdout)
    assert built["modules"] == ["pynq_remote_ext.sysmon.v1.sysmon_pb2",
                                "pynq_remote_ext.sysmon.v1.sysmon_pb2_grpc"]
    assert "pynq-remote-ext-sysmon" in (out / "pyproject.toml").read_text()
    sys.path.insert(0, str(out))
    try:
        yield (importlib.import_module(built["modules"][0]),
               importlib.import_module(built["modules"][1]))
    finally:
        sys.path.remove(str(out))


@pytest.fixture
def sysmon(sysmon_address, stubs):
    pb2, pb2_grpc = stubs
    with pynq_remote.connect(sysmon_address) as dev:
        yield pb2, dev.extension(pb2_grpc.SysmonServiceStub)


def test_extension_unit_tests_pass(server_binary):
    result = _run(BUILD / "extensions" / "1-sysmon" / UNIT_TESTS)
    assert "[  PASSED  ]" in result.stdout


def test_list_sensors_of_the_sim_model(sysmon):
    pb2, stub = sysmon
    sensors = {s.id: s for s in stub.ListSensors(pb2.ListSensorsRequest()).sensors}
    assert sensors["ams.temp0_ps_temp"].unit == "degC"
    assert sensors["ams.temp0_ps_temp"].kind == pb2.SENSOR_KIND_TEMPERATURE
    assert sensors["ams.voltage0_vccint"].label == "vccint"
    assert sensors["ams.voltage0_vccint"].unit == "V"
    assert {s.source for s in sensors.values()} == {"sim"}


def test_stream_readings_at_the_requested_rate(sysmon):
    pb2, stub = sysmon
    request = pb2.StreamReadingsRequest(rate_hz=20, count=10,
                                        sensor_ids=["ams.temp0_ps_temp", "ams.voltage0_vccint"])
    start = time.monotonic()
    samples = list(stub.StreamReadings(request))
    elapsed = time.monotonic() - start

    assert [s.sequence for s in samples] == list(range(10))
    assert 0.4 <= elapsed < 3.0  # nine periods of 50 ms between the first and the last
    stamps = [s.timestamp_unix_ms for s in samples]
    assert stamps == sorted(stamps) and 400 <= stamps[-1] - stamps[0] < 3000
    for sample in samples:
        temp, vccint = sample.readings
        assert temp.sensor_id == "ams.temp0_ps_temp" and 40 < temp.value < 50
        assert vccint.sensor_id == "ams.voltage0_vccint" and 0.84 < vccint.value < 0.86


def test_bad_rate_and_unknown_sensor_are_clear_errors(sysmon):
    pb2, stub = sysmon
    with pytest.raises(InvalidArgument, match=r"rate_hz 500 is out of range: give 0\.1 to "
                                              r"100 samples per second"):
        list(stub.StreamReadings(pb2.StreamReadingsRequest(rate_hz=500)))
    with pytest.raises(NotFound, match="no sensor 'ams.nope' on this board"):
        stub.Read(pb2.ReadRequest(sensor_ids=["ams.nope"]))


def test_streams_are_bounded_and_leaving_one_ends_it(sysmon):
    pb2, stub = sysmon
    request = pb2.StreamReadingsRequest(rate_hz=10)
    streams = [stub.StreamReadings(request) for _ in range(8)]
    for stream in streams:
        next(stream)
    with pytest.raises(ResourceExhausted, match="already 8 sysmon streams open"):
        next(stub.StreamReadings(request))
    for stream in streams:
        stream.close()
    deadline = time.monotonic() + 5
    while True:  # the server notices the cancellations within 100 ms
        try:
            next(stub.StreamReadings(request))
            break
        except ResourceExhausted:
            assert time.monotonic() < deadline, "closed streams still count"
            time.sleep(0.1)


def test_info_and_reflection_list_the_extension(sysmon_address, capsys, monkeypatch):
    monkeypatch.setenv("PYNQ_REMOTE_DEVICES", sysmon_address)
    code, out, _ = run_cli(capsys, "info")
    assert code == 0 and f"extensions    {SERVICE}, acme.leds.v1.LedService" in out
    code, out, _ = run_cli(capsys, "info", "--json")
    assert json.loads(out)["extensions"] == [SERVICE, "acme.leds.v1.LedService"]
    with grpc.insecure_channel(sysmon_address) as channel:
        services = ProtoReflectionDescriptorDatabase(channel).get_services()
    assert SERVICE in services and "pynq_remote.v1.DeviceService" in services
    assert "acme.leds.v1.LedService" in services


def test_the_docs_example_runs_as_written(sysmon_address, tmp_path, capsys):
    code, out, err = run_cli(capsys, "ext", "build", LEDS, "--out", tmp_path)
    assert code == 0, err
    assert "  from acme.leds.v1 import leds_pb2, leds_pb2_grpc\n" in out
    python = re.search(r"^```python\n(import pynq_remote\n.*?)^```", DOCS.read_text(),
                       re.M | re.S)[1]
    python = python.replace('"127.0.0.1:7967"', repr(sysmon_address))
    sys.path.insert(0, str(tmp_path))
    try:
        with pytest.raises(InvalidArgument) as error:
            exec(compile(python, str(DOCS), "exec"), {})
    finally:
        sys.path.remove(str(tmp_path))
    assert capsys.readouterr().out == "5\n5\n"
    assert str(error.value) == ("INVALID_ARGUMENT: value 99 does not fit 4 LEDs: "
                                "give 0 to 15")


class MissingServiceStub:
    """What grpc_tools generates for a service no server here has."""

    def __init__(self, channel):
        self.Get = channel.unary_unary("/acme.missing.v1.MissingService/Get")


def test_server_without_the_extension_says_so(device):
    with pytest.raises(NotFound, match="has no extension service "
                                       r"acme\.missing\.v1\.MissingService \(it has: .*\); "
                                       "build its server with -DPYNQ_REMOTE_EXTENSIONS"):
        device.extension(MissingServiceStub)


def test_a_class_that_is_no_stub_is_refused(device):
    with pytest.raises(TypeError, match="dict is not a generated gRPC stub class"):
        device.extension(dict)


def test_extension_calls_go_through_the_authorizer(server_binary, stubs, tmp_path):
    pb2, pb2_grpc = stubs
    reader, reader_line = new_token("rita", "reader")
    tokens = tmp_path / "tokens"
    tokens.write_text(f"{reader_line}\n")
    with _server(server_binary, ["--tokens", tokens]) as server:
        with pynq_remote.connect(server.address, credentials=Credentials(token=reader)) as dev:
            stub = dev.extension(pb2_grpc.SysmonServiceStub)
            assert len(stub.Read(pb2.ReadRequest()).readings) == 9
            sample = next(stub.StreamReadings(pb2.StreamReadingsRequest(rate_hz=5)))
            assert len(sample.readings) == 9
        with pynq_remote.connect(server.address, credentials=Credentials()) as dev:
            stub = dev.extension(pb2_grpc.SysmonServiceStub, check=False)
            with pytest.raises(Unauthenticated):
                stub.ListSensors(pb2.ListSensorsRequest())
            with pytest.raises(Unauthenticated):
                list(stub.StreamReadings(pb2.StreamReadingsRequest(rate_hz=5)))


def test_shutdown_ends_open_streams_at_once(server_binary, stubs):
    pb2, pb2_grpc = stubs
    server = _server(server_binary)
    server.start()
    try:
        with pynq_remote.connect(server.address) as dev:
            stream = dev.extension(pb2_grpc.SysmonServiceStub).StreamReadings(
                pb2.StreamReadingsRequest(rate_hz=0.1))
            next(stream)
            start = time.monotonic()
            assert server.stop() == 0
            assert time.monotonic() - start < 3  # not the 5 s shutdown grace
    finally:
        server.stop()


def test_ext_build_without_protos_is_one_clear_line(capsys, tmp_path):
    code, out, err = run_cli(capsys, "ext", "build", tmp_path)
    assert code == 2 and out == ""
    assert err == (f"error: {tmp_path} has no proto/ folder: an extension keeps its .proto "
                   "files there, laid out as their packages (docs/extensions.md)\n")


def test_ext_build_refuses_protos_in_pynq_remote(capsys, tmp_path):
    (tmp_path / "proto" / "pynq_remote" / "v9").mkdir(parents=True)
    (tmp_path / "proto" / "pynq_remote" / "v9" / "x.proto").write_text('syntax = "proto3";\n')
    code, _, err = run_cli(capsys, "ext", "build", tmp_path)
    assert code == 2 and "put an extension's protos in a package of its own" in err


def test_ext_build_reports_protoc_errors(capsys, tmp_path):
    (tmp_path / "proto" / "acme" / "v1").mkdir(parents=True)
    (tmp_path / "proto" / "acme" / "v1" / "bad.proto").write_text("syntax = nonsense\n")
    code, _, err = run_cli(capsys, "ext", "build", tmp_path, "--out", tmp_path / "out")
    assert code == 2 and err.startswith(f"error: protoc failed on {tmp_path / 'proto'}: ")
    assert "bad.proto" in err


def test_ext_build_install_makes_an_installable_package(stubs, tmp_path):
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pynq_remote", "ext", "build", SYSMON,
                    "--out", tmp_path / "pkg"], check=True, capture_output=True)
    result = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
         "--target", target, tmp_path / "pkg"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert (target / "pynq_remote_ext" / "sysmon" / "v1" / "sysmon_pb2_grpc.py").is_file()
    assert (target / "pynq_remote_ext" / "sysmon" / "v1" / "sysmon_pb2.pyi").is_file()
    env = {**os.environ, "PYTHONPATH": str(target)}
    subprocess.run([sys.executable, "-c", "import pynq_remote_ext.sysmon.v1.sysmon_pb2_grpc"],
                   check=True, env=env, cwd=tmp_path)
