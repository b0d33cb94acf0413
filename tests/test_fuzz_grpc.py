"""Random and malformed requests to every RPC of the real server, over gRPC.

Property-based (hypothesis): requests are drawn from the wire contract's own
message descriptors, with values biased towards what the sim board has (its
windows, a live session and buffer, a cached bitstream) so that calls get
past the first checks. Each call must end with a status the contract names,
and the server must keep serving. Bounded: a fixed number of examples per
RPC and a deadline on every call.
"""

import hashlib

import grpc
import pytest
from google.protobuf import descriptor
from google.protobuf.message import DecodeError
from google.protobuf.message_factory import GetMessageClass
from grpc_health.v1 import health_pb2, health_pb2_grpc
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pynq_remote.tools.server import LocalServer
from pynq_remote.v1 import (bitstream_pb2, buffer_pb2, clock_pb2, device_pb2, mmio_pb2,
                            session_pb2)

pytestmark = [pytest.mark.integration, pytest.mark.hardening]

EXAMPLES = 30
CALL_TIMEOUT_S = 3.0
# Setting up and checking are not under test: they may wait for a busy server.
SETUP_TIMEOUT_S = 30.0
# What a call may end with: the codes the contract names (ARCHITECTURE.md),
# plus a client's own deadline or cancellation.
KNOWN_CODES = {
    grpc.StatusCode.OK, grpc.StatusCode.INVALID_ARGUMENT, grpc.StatusCode.OUT_OF_RANGE,
    grpc.StatusCode.PERMISSION_DENIED, grpc.StatusCode.NOT_FOUND,
    grpc.StatusCode.RESOURCE_EXHAUSTED, grpc.StatusCode.UNAUTHENTICATED,
    grpc.StatusCode.FAILED_PRECONDITION, grpc.StatusCode.DEADLINE_EXCEEDED,
    grpc.StatusCode.CANCELLED,
}
# Bytes that are no request at all: gRPC itself answers when it cannot
# parse them, before any service code runs: INTERNAL for the methods on its
# synchronous API, UNIMPLEMENTED (no message) for those on its callback API
# (services/endpoints.h).
MALFORMED_CODES = KNOWN_CODES | {grpc.StatusCode.INTERNAL, grpc.StatusCode.UNIMPLEMENTED}

METHODS = [method
           for module in (device_pb2, mmio_pb2, session_pb2, buffer_pb2, bitstream_pb2,
                          clock_pb2)
           for service in module.DESCRIPTOR.services_by_name.values()
           for method in service.methods]

# Stand-ins drawn for fields that name server state; replaced before sending.
SESSION = "<live session>"
SHA256 = "<cached sha256>"
HANDLE = 0xFFFF_FFFF_FFFF_0001

WINDOWS = [0xA0000000, 0xA0010000, 0xA0020000, 0xA0030000, 0xA0100000, 0x60000000]
EDGES = [0, 1, 3, 4, 7, 8, 0xFFF, 0x1000, 0xFFFF, 0x10000, 1 << 20, 1 << 24, 1 << 30,
         (1 << 31) - 1, 1 << 32, (1 << 63) - 1, 1 << 63, (1 << 64) - 1]
u64 = st.integers(0, (1 << 64) - 1)
u32 = st.integers(0, (1 << 32) - 1)
addresses = st.one_of(st.builds(lambda base, word: base + 4 * word,
                                st.sampled_from(WINDOWS), st.integers(0, 0x4004)),
                      st.builds(lambda base, offset: base + offset,
                                st.sampled_from(WINDOWS), st.integers(-8, 0x10010)),
                      st.sampled_from(EDGES), u64)
sizes = st.one_of(st.integers(0, 5000), st.sampled_from(EDGES), u64)
texts = st.text(max_size=40)

UINT64_FIELDS = {"address": addresses, "base_address": addresses, "physical_address": addresses,
                 "size": sizes, "count": sizes, "length": sizes, "offset": sizes,
                 "chunk_size": sizes, "alignment": sizes,
                 "handle": st.one_of(st.just(HANDLE), st.integers(0, 4), u64),
                 "value": st.one_of(st.sampled_from(EDGES), u64),
                 "mask": st.one_of(st.sampled_from(EDGES), u64),
                 "expected": st.one_of(st.sampled_from(EDGES), u64)}
UINT32_FIELDS = {"timeout_ms": st.one_of(st.integers(0, 20), st.sampled_from([60000, 60001]), u32),
                 "interval_us": st.one_of(st.integers(0, 100), u32),
                 "index": st.one_of(st.integers(0, 5), u32),
                 "divisor0": st.one_of(st.integers(0, 64), u32),
                 "divisor1": st.one_of(st.integers(0, 64), u32)}
STRING_FIELDS = {"session_id": st.one_of(st.just(SESSION), st.just(SESSION), texts),
                 "sha256": st.one_of(st.just(SHA256),
                                     st.text("0123456789abcdef", min_size=64, max_size=64),
                                     texts),
                 "ip_type": st.one_of(st.sampled_from(["xilinx.com:ip:axi_gpio:2.0",
                                                       "xilinx.com:ip:axi_dma:7.1", "axi_gpio",
                                                       "::::", ""]), texts)}
BYTES_FIELDS = {"data": st.binary(max_size=4096)}


def scalar(field):
    """The strategy for one value of a scalar field."""
    t = field.type
    if t == descriptor.FieldDescriptor.TYPE_UINT64:
        return UINT64_FIELDS.get(field.name, u64)
    if t == descriptor.FieldDescriptor.TYPE_UINT32:
        return UINT32_FIELDS.get(field.name, u32)
    if t == descriptor.FieldDescriptor.TYPE_DOUBLE:
        return st.one_of(st.floats(), st.floats(0, 2000))
    if t == descriptor.FieldDescriptor.TYPE_BOOL:
        return st.booleans()
    if t == descriptor.FieldDescriptor.TYPE_STRING:
        return STRING_FIELDS.get(field.name, texts)
    if t == descriptor.FieldDescriptor.TYPE_BYTES:
        return BYTES_FIELDS.get(field.name, st.binary(max_size=300))
    if t == descriptor.FieldDescriptor.TYPE_ENUM:
        # Known values, and unknown ones (proto3 enums are open).
        known = [value.number for value in field.enum_type.values]
        return st.one_of(st.sampled_from(known[1:] or known), st.sampled_from(known),
                         st.integers(-(1 << 31), (1 << 31) - 1))
    raise AssertionError(f"no strategy for {field.full_name} (type {t})")


@st.composite
def messages(draw, message_descriptor, depth=0):
    """A message of `message_descriptor` with random fields set; at most one
    field of each oneof."""
    message = GetMessageClass(message_descriptor)()
    chosen_oneofs = {oneof.name: draw(st.sampled_from([None] + list(oneof.fields)))
                     for oneof in message_descriptor.oneofs}
    for field in message_descriptor.fields:
        oneof = field.containing_oneof
        if oneof is not None and chosen_oneofs[oneof.name] is not field:
            continue
        # Fields naming server state are always set; others half the time.
        always = field.name in ("session_id", "handle", "sha256", "width")
        if oneof is None and not always and not draw(st.booleans()):
            continue
        is_message = field.type == descriptor.FieldDescriptor.TYPE_MESSAGE
        if is_message and depth >= 3:
            continue
        if is_message and field.message_type.GetOptions().map_entry:
            key, item = field.message_type.fields_by_name["key"], \
                field.message_type.fields_by_name["value"]
            getattr(message, field.name).update(
                draw(st.dictionaries(scalar(key), scalar(item), max_size=70)))
            continue
        value = (messages(field.message_type, depth + 1) if is_message else scalar(field))
        if field.is_repeated:
            values = draw(st.lists(value, max_size=6))
            if is_message:
                getattr(message, field.name).extend(values)
            else:
                getattr(message, field.name)[:] = values
        elif is_message:
            getattr(message, field.name).CopyFrom(draw(value))
        else:
            setattr(message, field.name, draw(value))
    return message


def substitute(message, state):
    """Replaces the stand-ins with the server's live session, buffer, bitstream."""
    for field, value in message.ListFields():
        if field.type == descriptor.FieldDescriptor.TYPE_MESSAGE:
            if field.message_type.GetOptions().map_entry:
                continue  # a map of scalars: no stand-ins
            children = value if field.is_repeated else [value]
            for child in children:
                substitute(child, state)
        elif field.name == "session_id" and value == SESSION:
            setattr(message, field.name, state["session"])
        elif field.name == "sha256" and value == SHA256:
            setattr(message, field.name, state["sha256"])
        elif field.name == "handle" and value == HANDLE:
            setattr(message, field.name, state["handle"])
    return message


@pytest.fixture(scope="module")
def server():
    """A server of its own: the calls here change its board."""
    with LocalServer() as server:
        yield server


@pytest.fixture(scope="module")
def channel(server):
    options = [("grpc.max_send_message_length", -1),
               ("grpc.max_receive_message_length", 64 << 20)]
    with grpc.insecure_channel(server.address, options=options) as channel:
        yield channel


@pytest.fixture(scope="module")
def state(channel):
    """A session with a buffer, and a cached bitstream, for requests to name."""
    bitstream = b"a bitstream for fuzzing" * 100
    sha256 = hashlib.sha256(bitstream).hexdigest()
    upload = channel.stream_unary("/pynq_remote.v1.BitstreamService/UploadBitstream",
                                  request_serializer=bitstream_pb2.UploadBitstreamRequest.
                                  SerializeToString,
                                  response_deserializer=bitstream_pb2.UploadBitstreamResponse.
                                  FromString)
    upload(iter([bitstream_pb2.UploadBitstreamRequest(header=bitstream_pb2.UploadBitstreamHeader(
        sha256=sha256, size=len(bitstream))),
        bitstream_pb2.UploadBitstreamRequest(data=bitstream)]), timeout=SETUP_TIMEOUT_S)
    return {"sha256": sha256, "channel": channel}


def fresh_session(channel, state):
    """A new session holding one buffer; the calls may close or free them."""
    session_stub = channel.unary_unary(
        "/pynq_remote.v1.SessionService/OpenSession",
        request_serializer=session_pb2.OpenSessionRequest.SerializeToString,
        response_deserializer=session_pb2.OpenSessionResponse.FromString)
    session = session_stub(session_pb2.OpenSessionRequest(client_name="fuzz", lease_ms=5000),
                           timeout=SETUP_TIMEOUT_S).session_id
    allocate = channel.unary_unary(
        "/pynq_remote.v1.BufferService/AllocateBuffer",
        request_serializer=buffer_pb2.AllocateBufferRequest.SerializeToString,
        response_deserializer=buffer_pb2.AllocateBufferResponse.FromString)
    handle = allocate(buffer_pb2.AllocateBufferRequest(session_id=session, size=8192),
                      timeout=SETUP_TIMEOUT_S).buffer.handle
    return dict(state, session=session, handle=handle)


def invoke(channel, method, request, serializer):
    """Calls `method` with `request` (a message, or a list for client
    streams); returns the status code. Reads at most 4 messages of a server
    stream, then cancels it."""
    path = f"/{method.containing_service.full_name}/{method.name}"
    deserializer = GetMessageClass(method.output_type).FromString
    try:
        if method.server_streaming:
            call = channel.unary_stream(path, request_serializer=serializer,
                                        response_deserializer=deserializer)(
                request, timeout=CALL_TIMEOUT_S)
            for count, _ in enumerate(call):
                if count == 3:
                    call.cancel()
                    return grpc.StatusCode.OK
            return grpc.StatusCode.OK
        kind = channel.stream_unary if method.client_streaming else channel.unary_unary
        kind(path, request_serializer=serializer, response_deserializer=deserializer)(
            iter(request) if method.client_streaming else request, timeout=CALL_TIMEOUT_S)
        return grpc.StatusCode.OK
    except grpc.RpcError as error:
        if error.code() not in MALFORMED_CODES:
            raise AssertionError(f"{path}: {error.code().name}: {error.details()}") from None
        return error.code()


def assert_still_serving(channel):
    health = health_pb2_grpc.HealthStub(channel)
    response = health.Check(health_pb2.HealthCheckRequest(), timeout=SETUP_TIMEOUT_S)
    assert response.status == health_pb2.HealthCheckResponse.SERVING


def requests_for(method):
    one = messages(method.input_type)
    return st.lists(one, max_size=5) if method.client_streaming else one


SETTINGS = settings(max_examples=EXAMPLES, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.function_scoped_fixture])


@pytest.mark.parametrize("method", METHODS, ids=lambda m: f"{m.containing_service.name}.{m.name}")
def test_random_requests_get_a_known_status_and_the_server_keeps_serving(method, state):
    channel = state["channel"]

    @SETTINGS
    @given(request=requests_for(method))
    def check(request):
        live = fresh_session(channel, state)
        if method.client_streaming:
            request = [substitute(message, live) for message in request]
        else:
            request = substitute(request, live)
        serializer = GetMessageClass(method.input_type).SerializeToString
        code = invoke(channel, method, request, serializer)
        assert code in KNOWN_CODES, f"{method.full_name}: {code.name}"
        assert_still_serving(channel)

    check()


@pytest.mark.parametrize("method", METHODS, ids=lambda m: f"{m.containing_service.name}.{m.name}")
def test_malformed_bytes_get_a_known_status_and_the_server_keeps_serving(method, state):
    channel = state["channel"]
    payloads = st.binary(max_size=200)

    message_class = GetMessageClass(method.input_type)

    def is_request(data):
        """Whether `data` is exactly what a client would send for some
        request (parsers differ on odd encodings, such as field number 0)."""
        try:
            message = message_class.FromString(data)
        except DecodeError:
            return False
        message.DiscardUnknownFields()
        return message.SerializeToString() == data

    @SETTINGS
    @given(payload=st.lists(payloads, max_size=4) if method.client_streaming else payloads)
    def check(payload):
        code = invoke(channel, method, payload, serializer=None)
        if all(is_request(data) for data in (payload if method.client_streaming else [payload])):
            # Bytes that are a valid request get what a request gets.
            assert code in KNOWN_CODES, f"{method.full_name}: {code.name}"
        assert_still_serving(channel)

    check()


def test_a_message_above_the_size_limit_is_resource_exhausted(state):
    channel = state["channel"]
    write_block = channel.unary_unary(
        "/pynq_remote.v1.MmioService/WriteBlock",
        request_serializer=mmio_pb2.WriteBlockRequest.SerializeToString,
        response_deserializer=mmio_pb2.WriteBlockResponse.FromString)
    with pytest.raises(grpc.RpcError) as raised:
        write_block(mmio_pb2.WriteBlockRequest(address=0xA0100000, width=mmio_pb2.WIDTH_32,
                                               data=bytes(17 << 20)), timeout=30)
    assert raised.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
    assert_still_serving(channel)
