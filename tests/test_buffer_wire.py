"""The buffer sync's own wire encoding (pynq_remote.board.buffer) against protobuf's."""

import numpy as np
import pytest

from pynq_remote.board import buffer
from pynq_remote.v1 import buffer_pb2


@pytest.mark.parametrize("offset, size", [(0, 0), (0, 1), (127, 128), (1 << 33, 300000)])
def test_write_chunk_parses_as_the_protobuf_request(offset, size):
    data = np.arange(size, dtype=np.uint8)
    fields = buffer_pb2.WriteBufferRequest(session_id="s-1", handle=7, offset=offset)
    wire = buffer._serialize_write_chunk((fields.SerializeToString(), memoryview(data)))
    parsed = buffer_pb2.WriteBufferRequest.FromString(wire)
    assert (parsed.session_id, parsed.handle, parsed.offset) == ("s-1", 7, offset)
    assert parsed.data == data.tobytes()


@pytest.mark.parametrize("offset, size", [(0, 0), (1, 1), (300, 128), (1 << 40, 200000)])
def test_read_chunk_reads_what_protobuf_wrote(offset, size):
    data = bytes(range(256)) * (size // 256) + bytes(size % 256)
    wire = buffer_pb2.ReadBufferResponse(offset=offset, data=data).SerializeToString()
    parsed_offset, parsed_data = buffer._parse_read_chunk(wire)
    assert parsed_offset == offset
    assert bytes(parsed_data) == data


def test_read_chunk_with_a_field_this_client_does_not_know_goes_to_protobuf():
    wire = buffer_pb2.ReadBufferResponse(offset=5, data=b"abc").SerializeToString()
    unknown_field = b"\x18\x01"  # field 3, varint 1: a later server's addition
    offset, data = buffer._parse_read_chunk(unknown_field + wire)
    assert (offset, bytes(data)) == (5, b"abc")
