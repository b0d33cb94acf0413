"""The attacks of issue #20, as an attacker on the board's network makes them.

Each attack is a context manager that holds the attack while its block
runs and reports what happened in its ``result`` dict. They are shared by
``bench/load.py --attacks`` (figures before, during and after) and
``tests/test_hostile_network.py`` (the bounds, in CI). Source addresses
127.0.0.2 and up stand for other machines: Linux routes all of 127/8 to
loopback, and the server counts connections per peer address.
"""

import contextlib
import os
import socket
import statistics
import threading
import time

import grpc

import pynq_remote
from pynq_remote.connection.channel import open_channel
from pynq_remote.connection.credentials import Credentials
from pynq_remote.v1 import mmio_pb2, session_pb2, session_pb2_grpc

BRAM = 0xA0100000  # sim-board.textproto: axi_bram_ctrl_0, reads 0 until written
REFLECTION = "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo"
HEALTH_WATCH = "/grpc.health.v1.Health/Watch"
# ServerReflectionRequest{list_services: ""} and HealthCheckRequest{}, encoded.
LIST_SERVICES = b"\x3a\x00"
ANY_SERVICE = b""


def server_stats(pid):
    """The server's RSS (bytes) and open descriptors."""
    with open(f"/proc/{pid}/status") as status:
        rss = next(int(line.split()[1]) * 1024 for line in status
                   if line.startswith("VmRSS:"))
    return {"rss_bytes": rss, "descriptors": len(os.listdir(f"/proc/{pid}/fd"))}


def operator_latency(device, calls=200):
    """p50, p99 and max of `calls` MMIO reads by `device`, in ms."""
    mmio = pynq_remote.MMIO(BRAM, 0x100, device=device)
    samples = []
    for _ in range(calls):
        start = time.perf_counter()
        mmio.read(0)
        samples.append((time.perf_counter() - start) * 1e3)
    samples.sort()
    return {"p50_ms": round(statistics.median(samples), 3),
            "p99_ms": round(samples[int(0.99 * (len(samples) - 1))], 3),
            "max_ms": round(samples[-1], 3)}


def _host_port(address):
    host, _, port = address.rpartition(":")
    return host.strip("[]"), int(port)


@contextlib.contextmanager
def idle_sockets(address, count, sources=8):
    """`count` TCP connections that never start TLS or HTTP/2, spread over
    `sources` peer addresses (127.0.0.2 ...)."""
    host, port = _host_port(address)
    sockets, result = [], {"sockets": count, "sources": sources, "not_connected": 0}
    try:
        for index in range(count):
            connection = socket.socket()
            connection.bind((f"127.0.0.{2 + index % sources}", 0))
            try:
                connection.connect((host, port))
            except OSError:
                result["not_connected"] += 1
            sockets.append(connection)
        yield result
    finally:
        for connection in sockets:
            connection.close()


class _Held:
    """A request stream that sends `first` and then waits until released."""

    def __init__(self, first, release):
        self._first, self._release = first, release

    def __iter__(self):
        yield self._first
        self._release.wait()


def _channels(address, streams, per_connection):
    """Enough connections of their own for `streams` streams, `per_connection`
    on each (the server allows 64 streams on a connection)."""
    return [grpc.insecure_channel(address, options=[("grpc.use_local_subchannel_pool", 1)])
            for _ in range(0, streams, per_connection)]


@contextlib.contextmanager
def reflection_streams(address, count, per_connection=40):
    """`count` reflection streams without credentials, held open; ``result``
    counts them by status code once ended."""
    release, calls = threading.Event(), []
    channels = _channels(address, count, per_connection)
    result = {"streams": count, "codes": {}}
    try:
        for index in range(count):
            start = channels[index // per_connection].stream_stream(
                REFLECTION, request_serializer=lambda x: x, response_deserializer=lambda x: x)
            calls.append(start(iter(_Held(LIST_SERVICES, release))))
        yield result
    finally:
        release.set()
        for call in calls:
            call.cancel()
            code = call.code().name
            result["codes"][code] = result["codes"].get(code, 0) + 1
        for channel in channels:
            channel.close()


@contextlib.contextmanager
def health_watches(address, count, per_connection=40):
    """`count` health Watch streams without credentials, held open."""
    channels = _channels(address, count, per_connection)
    calls = [channels[index // per_connection].unary_stream(
        HEALTH_WATCH, request_serializer=lambda x: x, response_deserializer=lambda x: x)(
            ANY_SERVICE) for index in range(count)]
    result = {"streams": count, "first_answers": 0}
    try:
        for call in calls:
            next(call)
            result["first_answers"] += 1
        yield result
    finally:
        for call in calls:
            call.cancel()
        for channel in channels:
            channel.close()


@contextlib.contextmanager
def busy_polls(address, token, threads):
    """`threads` threads of one reader, each polling a register that never
    matches with ``interval_us=0`` for 2 s, again and again."""
    device = pynq_remote.connect(address, credentials=Credentials(token=token))
    request = mmio_pb2.BatchRequest(steps=[mmio_pb2.BatchStep(poll=mmio_pb2.PollStep(
        address=BRAM, width=mmio_pb2.WIDTH_32, mask=1, expected=1, timeout_ms=2000,
        interval_us=0))])
    stop = threading.Event()
    result = {"threads": threads, "polls": 0, "refused": 0, "refusal": ""}
    lock = threading.Lock()

    def poll():
        while not stop.is_set():
            try:
                device.mmio.Batch(request, timeout=5)
            except grpc.RpcError as error:
                with lock:
                    if error.code() == grpc.StatusCode.RESOURCE_EXHAUSTED:
                        result["refused"] += 1
                        result["refusal"] = error.details()
                        stop.wait(0.2)
                        continue
                    result["polls"] += 1

    workers = [threading.Thread(target=poll) for _ in range(threads)]
    for worker in workers:
        worker.start()
    try:
        yield result
    finally:
        stop.set()
        for worker in workers:
            worker.join()
        device.close()


@contextlib.contextmanager
def session_flood(address, token, most=100_000):
    """Opens sessions as one reader until the server refuses (or `most`)."""
    channel = open_channel(address, Credentials(token=token))
    sessions = session_pb2_grpc.SessionServiceStub(channel)
    opened, result = [], {"opened": 0, "refusal": "", "code": ""}
    try:
        while len(opened) < most:
            try:
                opened.append(sessions.OpenSession(session_pb2.OpenSessionRequest(
                    client_name="flood", lease_ms=600_000), timeout=10).session_id)
            except grpc.RpcError as error:
                result["code"], result["refusal"] = error.code().name, error.details()
                break
        result["opened"] = len(opened)
        yield result
    finally:
        for session_id in opened:
            sessions.CloseSession(session_pb2.CloseSessionRequest(session_id=session_id),
                                  timeout=10)
        channel.close()


def connection_burst(address, count, at_once=50):
    """`count` connections, `at_once` of them open together, each making one
    health check, then closed."""
    for first in range(0, count, at_once):
        channels = _channels(address, min(at_once, count - first), 1)
        for channel in channels:
            check = channel.unary_unary("/grpc.health.v1.Health/Check",
                                        request_serializer=lambda x: x,
                                        response_deserializer=lambda x: x)
            check(ANY_SERVICE, timeout=10)
        for channel in channels:
            channel.close()
    return {"connections": count, "at_once": at_once}
