"""Faults on loopback: clients killed mid-stream, the server killed mid-upload
and restarted on its cache, the server restarted under connected clients.

Each test starts servers of its own; every wait is bounded.
"""

import hashlib
import logging
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time

import numpy as np
import pytest

import pynq_remote
from pynq_remote import MMIO
from pynq_remote.board.buffer import list_buffers
from pynq_remote.errors import NotFound
from pynq_remote.tools.server import LocalServer
from pynq_remote.v1 import bitstream_pb2

pytestmark = [pytest.mark.integration, pytest.mark.hardening]

BRAM = 0xA0100000
LEASE_S = 0.5
KILLED_CLIENTS = 4
BUFFER_BYTES = 8 << 20

# A client that allocates buffers, says "streaming", then moves them to and
# from the board until it is killed.
STREAMING_CLIENT = textwrap.dedent("""
    import sys
    import numpy as np
    import pynq_remote
    device = pynq_remote.connect(sys.argv[1], lease=float(sys.argv[2]))
    size = int(sys.argv[3])
    small = [device.allocate(4096, "u1") for _ in range(3)]
    big = device.allocate(size, "u1")
    big[:] = np.arange(size, dtype=np.uint64).astype(np.uint8)
    big.sync_to_device()
    print("streaming", flush=True)
    while True:
        big.sync_to_device()
        big.sync_from_device()
""")


def wait_until(predicate, timeout, interval=0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_buffers_of_clients_killed_mid_stream_are_freed_when_their_lease_expires():
    with LocalServer() as server, pynq_remote.connect(server.address) as dev:
        pool_size = list_buffers(dev)[1].size
        clients = [subprocess.Popen([sys.executable, "-c", STREAMING_CLIENT, server.address,
                                     str(LEASE_S), str(BUFFER_BYTES)],
                                    stdout=subprocess.PIPE, text=True)
                   for _ in range(KILLED_CLIENTS)]
        try:
            for client in clients:
                assert client.stdout.readline().strip() == "streaming"
            buffers, pool = list_buffers(dev)
            assert len(buffers) == 4 * KILLED_CLIENTS
            assert pool_size - pool.free_bytes == KILLED_CLIENTS * (BUFFER_BYTES + 3 * 4096)
            time.sleep(0.3)  # well inside their streams
            for client in clients:
                client.send_signal(signal.SIGKILL)
        finally:
            for client in clients:
                client.kill()
                client.wait()
                client.stdout.close()
        killed_at = time.monotonic()

        def all_freed():
            buffers, pool = list_buffers(dev)
            return not buffers and pool.free_bytes == pool_size

        # The lease runs out LEASE_S after the last renewal; the reaper frees.
        assert wait_until(all_freed, timeout=LEASE_S + 5.0)
        freed_after = time.monotonic() - killed_at
        assert freed_after < LEASE_S + 5.0
        print(f"{KILLED_CLIENTS} clients killed mid-stream: every buffer byte freed "
              f"{freed_after:.2f} s later (lease {LEASE_S} s)")
        buffers, pool = list_buffers(dev)
        assert (len(buffers), pool.size - pool.free_bytes) == (0, 0)
        # The server goes on serving, buffers included.
        assert MMIO(BRAM, 4, device=dev).read() == 0
        with dev.allocate(1024, "u4") as buf:
            buf[:] = 7
            assert buf.sync_to_device() == 4096


def upload_requests(sha256, data, chunk=1 << 20, sent_half=None, release=None):
    """The upload's messages; with `sent_half`, it sets that event half way
    and sends nothing more until `release` is set, then ends early."""
    yield bitstream_pb2.UploadBitstreamRequest(header=bitstream_pb2.UploadBitstreamHeader(
        sha256=sha256, size=len(data)))
    for start in range(0, len(data), chunk):
        if sent_half is not None and start >= len(data) // 2:
            sent_half.set()
            release.wait(30)  # the server is killed meanwhile
            return
        yield bitstream_pb2.UploadBitstreamRequest(data=data[start:start + chunk])


def test_server_killed_mid_upload_restarts_with_nothing_of_it_loadable(tmp_path):
    cache = tmp_path / "cache"
    data = np.random.default_rng(7).bytes(8 << 20)
    sha256 = hashlib.sha256(data).hexdigest()
    server = LocalServer(extra_args=["--cache-dir", str(cache)])
    server.start()
    try:
        dev = pynq_remote.connect(server.address)
        sent_half, release = threading.Event(), threading.Event()
        outcome = []

        def upload():
            try:
                dev.call(dev.bitstreams.UploadBitstream,
                         upload_requests(sha256, data, sent_half=sent_half, release=release),
                         timeout=60)
                outcome.append("completed")
            except Exception as error:  # noqa: BLE001 - the kill must fail it
                outcome.append(error)

        uploader = threading.Thread(target=upload, daemon=True)
        uploader.start()
        assert sent_half.wait(30)
        # The upload is on disk, half written, under a temporary name.
        assert wait_until(lambda: any(p.name.startswith(".upload-") and p.stat().st_size > 0
                                      for p in cache.iterdir()), timeout=10)
        server.process.send_signal(signal.SIGKILL)
        server.process.wait(10)
        release.set()
        uploader.join(30)
        assert outcome and outcome[0] != "completed"
        dev.close()
    finally:
        server.stop()

    leftovers = [p.name for p in cache.iterdir()]
    assert any(name.startswith(".upload-") for name in leftovers)  # as the kill left it
    with LocalServer(extra_args=["--cache-dir", str(cache)]) as restarted, \
            pynq_remote.connect(restarted.address) as dev:
        assert not dev.call(dev.bitstreams.HasBitstream,
                            bitstream_pb2.HasBitstreamRequest(sha256=sha256)).present
        with pytest.raises(NotFound, match=f"no bitstream {sha256} in the cache"):
            dev.call(dev.bitstreams.ProgramBitstream,
                     bitstream_pb2.ProgramBitstreamRequest(sha256=sha256))
        assert sorted(p.name for p in cache.iterdir()) == []  # temporary files removed
        # The same content uploads in full afterwards.
        response = dev.call(dev.bitstreams.UploadBitstream,
                            upload_requests(sha256, data), timeout=60)
        assert response.bytes_received == len(data)
        assert [p.name for p in cache.iterdir()] == [f"{sha256}.bin"]


def test_clients_reconnect_after_a_server_restart_and_say_so(caplog):
    address = f"127.0.0.1:{free_port()}"
    server = LocalServer(listen=address)
    server.start()
    devices = [pynq_remote.connect(address, lease=1.0) for _ in range(4)]
    try:
        old_buffers = []
        for index, dev in enumerate(devices):
            MMIO(BRAM + 16 * index, 16, device=dev).write(0, 0x1000 + index)
            buf = dev.allocate(1024, "u4")
            buf[:] = index
            buf.sync_to_device()
            old_buffers.append(buf)

        caplog.set_level(logging.WARNING, logger="pynq_remote")
        assert server.stop() == 0
        restarter = threading.Timer(1.0, server.start)
        restarter.start()
        values = {}

        def read(index, dev):
            values[index] = MMIO(BRAM + 16 * index, 16, device=dev).read(0)

        # Sent while the server is down: each waits for it and reconnects.
        readers = [threading.Thread(target=read, args=item) for item in enumerate(devices)]
        for reader in readers:
            reader.start()
        for reader in readers:
            reader.join(30)
        restarter.join()
        assert values == {0: 0, 1: 0, 2: 0, 3: 0}  # a new sim board: its BRAM starts zeroed
        reconnected = [r for r in caplog.records if r.getMessage() == f"reconnected to {address}"]
        assert len(reconnected) == len(devices)

        for index, dev in enumerate(devices):
            # The old session died with the old server: its buffers are gone,
            # and calls on them fail clearly instead of reaching new buffers.
            with pytest.raises(NotFound):
                old_buffers[index].sync_from_device()
            # A new allocation opens a new session on the new server.
            with dev.allocate(1024, "u4") as buf:
                buf[:] = 100 + index
                assert buf.sync_to_device() == 4096
                buf[:] = 0
                buf.sync_from_device()
                assert (buf == 100 + index).all()
        assert any("ended on the server" in r.getMessage() for r in caplog.records)
        assert len(list_buffers(devices[0])[0]) == 0
    finally:
        for dev in devices:
            dev.close()
        server.stop()


def test_a_device_never_reached_fails_fast_without_waiting_to_reconnect():
    with pynq_remote.connect(f"127.0.0.1:{free_port()}") as dev:
        start = time.monotonic()
        with pytest.raises(pynq_remote.errors.ConnectionFailed, match="cannot reach device"):
            MMIO(BRAM, 4, device=dev).read()
        assert time.monotonic() - start < 5


def test_a_call_that_is_not_safe_to_repeat_is_not_sent_again(caplog):
    address = f"127.0.0.1:{free_port()}"
    with LocalServer(listen=address) as server, pynq_remote.connect(address) as dev:
        mmio = MMIO(BRAM, 4, device=dev)
        mmio.write(0, 5)
        server.stop()
        with pytest.raises(pynq_remote.errors.ConnectionFailed):
            mmio.write(0, 6)
        assert not any("reconnected" in r.getMessage() for r in caplog.records)
