"""Our PYNQ.remote protos describe exactly what pynq 4.0.0 sends: every
service, method, streaming flag, message, field name, number, type and
proto3 optional, read from the descriptors pynq ships."""

import base64
import importlib
import json
import subprocess

import pytest
from google.protobuf import descriptor_pb2

from compat_support import pynq_python

PACKAGES = ("remote_device", "mmio", "buffer", "gpio")

DUMP = f"""
import base64, importlib, json
print(json.dumps({{name: base64.b64encode(importlib.import_module(
    "pynq.remote." + name + "_pb2").DESCRIPTOR.serialized_pb).decode()
    for name in {PACKAGES!r}}}))
"""


def normalized(serialized):
    """The descriptor without what does not travel: file name, options, comments."""
    file = descriptor_pb2.FileDescriptorProto.FromString(serialized)
    file.ClearField("name")
    file.ClearField("options")
    file.ClearField("source_code_info")
    for service in file.service:
        for method in service.method:
            method.ClearField("options")
    return file


@pytest.fixture(scope="module")
def pynq_descriptors():
    result = subprocess.run([pynq_python(), "-c", DUMP], capture_output=True, text=True,
                            check=True, timeout=120)
    return {name: base64.b64decode(data) for name, data in json.loads(result.stdout).items()}


@pytest.mark.parametrize("package", PACKAGES)
def test_compat_proto_matches_pynq_4_0_0(package, pynq_descriptors):
    ours = importlib.import_module(f"pynq_remote.compat.{package}_pb2").DESCRIPTOR
    assert normalized(ours.serialized_pb) == normalized(pynq_descriptors[package])
