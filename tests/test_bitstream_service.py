"""The bitstream RPCs end to end against the real server with the sim board.

The host-side Overlay API is built on these; here they are driven directly
with a real design: upload is content-addressed and all-or-nothing, and
programming makes the sim board's MMIO windows follow the design's .hwh.
"""

import pytest

import pynq_remote
from pynq_remote import MMIO, PermissionDenied
from pynq_remote.design import load_design
from pynq_remote.errors import InvalidArgument
from pynq_remote.tools.server import LocalServer
from pynq_remote.v1 import bitstream_pb2, bitstream_pb2_grpc
from shared_data import overlay_file

CHUNK = 1 << 20


@pytest.fixture(scope="module")
def device():
    """A server of its own: programming changes the board the other tests share."""
    with LocalServer() as server, pynq_remote.connect(server.address) as dev:
        yield dev


@pytest.fixture(scope="module")
def design():
    return load_design(overlay_file("ultra96v2_axi_dma_gpio/Accumulator_bd_wrapper.xsa"))


def upload_requests(sha256, data, size=None):
    yield bitstream_pb2.UploadBitstreamRequest(header=bitstream_pb2.UploadBitstreamHeader(
        sha256=sha256, size=len(data) if size is None else size))
    for start in range(0, len(data), CHUNK):
        yield bitstream_pb2.UploadBitstreamRequest(data=data[start:start + CHUNK])


def has(device, stub, sha256):
    return device.call(stub.HasBitstream,
                       bitstream_pb2.HasBitstreamRequest(sha256=sha256)).present


def test_truncated_upload_leaves_nothing_loadable(device, design):
    stub = bitstream_pb2_grpc.BitstreamServiceStub(device._channel)
    data = design.bitstream.fpga_manager_bin()
    sha256 = design.bitstream.sha256
    with pytest.raises(InvalidArgument, match=f"upload of {sha256} ended after"):
        device.call(stub.UploadBitstream, upload_requests(sha256, data[:CHUNK], len(data)))
    assert not has(device, stub, sha256)


def test_upload_then_program_makes_mmio_follow_the_design(device, design):
    stub = bitstream_pb2_grpc.BitstreamServiceStub(device._channel)
    data = design.bitstream.fpga_manager_bin()
    sha256 = design.bitstream.sha256
    response = device.call(stub.UploadBitstream, upload_requests(sha256, data))
    assert response.bytes_received == len(data)
    assert has(device, stub, sha256)

    address_map = [bitstream_pb2.DesignWindow(name=name, base_address=ip["phys_addr"],
                                              size=ip["addr_range"], ip_type=ip["type"])
                   for name, ip in design.hardware.ip_dict.items()]
    state = device.call(stub.ProgramBitstream, bitstream_pb2.ProgramBitstreamRequest(
        sha256=sha256, design_name=design.name, address_map=address_map)).fpga
    assert (state.sha256, state.design_name) == (sha256, design.name)

    gpio = MMIO(0xA0010000, 0x10000, device=device)  # axi_gpio_0 of this design
    assert gpio.read(0x4) == 0xFFFFFFFF               # GPIO_TRI: all inputs
    gpio.write(0x4, 0x0)
    assert gpio.read(0x4) == 0x0
    with pytest.raises(PermissionDenied, match="0xa0100000"):
        MMIO(0xA0100000, 4, device=device).read()     # the sim_base BRAM is gone
    info = device.info()
    assert info.fpga.design_name == design.name
    assert sorted(w.base_address for w in info.mmio_windows) == [
        0xA0000000, 0xA0010000, 0xA0020000]
