"""DMA buffers through the library against the real server with the sim board."""

import json
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

import pynq_remote
from pynq_remote import allocate
from pynq_remote.board.buffer import list_buffers
from pynq_remote.errors import NotFound, ResourceExhausted
from pynq_remote.tools.server import LocalServer
from cli_runner import run_cli

POOL_BASE, POOL_SIZE = 0x60000000, 0x20000000  # sim-board.textproto


def pool_free_bytes(device):
    return list_buffers(device)[1].free_bytes


def test_allocate_returns_a_zeroed_array_with_a_physical_address_in_the_pool(device):
    with allocate((4, 256), "u4", device=device) as buf:
        assert isinstance(buf, np.ndarray)
        assert buf.shape == (4, 256) and buf.dtype == np.uint32
        assert not buf.any()
        assert POOL_BASE <= buf.physical_address < POOL_BASE + POOL_SIZE
        assert buf.physical_address % 4096 == 0
        assert buf.device_address == buf.physical_address
        assert buf[1].physical_address == buf.physical_address + 1024
        assert buf.coherent


def test_round_trip_through_the_board(device):
    with device.allocate(1000, "i2") as buf:
        buf[:] = np.arange(-500, 500)
        assert buf.sync_to_device() == 2000
        buf[:] = 0
        assert buf.sync_from_device() == 2000
        assert np.array_equal(buf, np.arange(-500, 500))


def test_sub_range_sync_moves_only_that_range(device):
    with allocate(1 << 18, "u4", device=device) as buf:
        buf[:10] = 99                       # never synced
        buf[1000:2000] = np.arange(1000)
        assert buf.sync_to_device(1000, 2000) == 4000
        buf[:] = 7
        assert buf.sync_from_device(0, 16) == 64
        assert (buf[:10] == 0).all() and (buf[16:20] == 7).all()
        assert buf[1000:2000].sync_from_device() == 4000
        assert np.array_equal(buf[1000:2000], np.arange(1000))
        assert buf[5000] == 7


def test_256_mib_buffer_survives_a_round_trip_byte_for_byte(device):
    size = 256 << 20
    expected = np.frombuffer(np.random.default_rng(42).bytes(size), dtype=np.uint8)
    with allocate(size, "u1", device=device) as buf:
        buf[:] = expected
        assert buf.sync_to_device() == size
        buf[:] = 0
        assert buf.sync_from_device() == size
        assert np.array_equal(buf, expected)


def test_allocation_beyond_the_pool_is_resource_exhausted_and_serving_goes_on(device):
    with pytest.raises(ResourceExhausted, match="cannot allocate"):
        allocate(POOL_SIZE + 4096, "u1", device=device)
    with allocate(16, device=device) as buf:
        buf[:] = 1
        assert buf.sync_to_device() == 64


def test_session_limit_is_resource_exhausted():
    with LocalServer(extra_args=["--session-memory-limit", str(1 << 20)]) as server:
        with pynq_remote.connect(server.address) as dev:
            first = allocate(1 << 19, "u1", device=dev)
            with pytest.raises(ResourceExhausted, match="limit"):
                allocate(1 << 20, "u1", device=dev)
            first.freebuffer()
            allocate(1 << 20, "u1", device=dev).freebuffer()


def test_freed_buffer_cannot_sync_and_is_gone_from_the_list(device):
    buf = allocate(1024, device=device)
    handle = buf.handle
    assert handle in [b.handle for b in list_buffers(device)[0]]
    buf.freebuffer()
    assert handle not in [b.handle for b in list_buffers(device)[0]]
    with pytest.raises(ValueError, match="was freed"):
        buf.sync_to_device()


def test_another_session_cannot_touch_a_buffer(device, sim_address):
    with allocate(1024, device=device) as buf:
        with pynq_remote.connect(sim_address) as other:
            intruder = other.allocate(1)
            intruder.handle = buf.handle   # try to reach someone else's buffer
            with pytest.raises(NotFound, match=f"no buffer {buf.handle}"):
                intruder.sync_from_device()


def test_closing_the_device_frees_its_buffers(sim_address):
    with pynq_remote.connect(sim_address) as observer:
        before = pool_free_bytes(observer)
        with pynq_remote.connect(sim_address) as dev:
            allocate(8 << 20, "u1", device=dev)
            assert pool_free_bytes(observer) == before - (8 << 20)
        assert pool_free_bytes(observer) == before


CLIENT = """
import sys, time, pynq_remote
dev = pynq_remote.connect(sys.argv[1], lease=1.0)
buf = pynq_remote.allocate(32 << 20, "u1", device=dev)
print(buf.handle, flush=True)
time.sleep(60)
"""


def test_killed_client_gets_its_memory_back_within_the_lease(device, sim_address):
    before = pool_free_bytes(device)
    client = subprocess.Popen([sys.executable, "-c", CLIENT, sim_address],
                              stdout=subprocess.PIPE, text=True)
    handle = int(client.stdout.readline())
    assert handle in [b.handle for b in list_buffers(device)[0]]
    assert pool_free_bytes(device) == before - (32 << 20)
    time.sleep(1.5)  # longer than the lease: the renewals keep it alive
    assert handle in [b.handle for b in list_buffers(device)[0]]
    client.send_signal(signal.SIGKILL)
    client.wait()
    client.stdout.close()
    killed = time.monotonic()
    while pool_free_bytes(device) != before:
        assert time.monotonic() - killed < 1.0 + 1.0, "memory not back within the lease"
        time.sleep(0.05)
    assert handle not in [b.handle for b in list_buffers(device)[0]]


def test_cli_lists_and_frees_buffers(capsys, monkeypatch, device, sim_address):
    monkeypatch.setenv("PYNQ_REMOTE_DEVICES", sim_address)
    buf = allocate(4096, device=device)
    code, out, _ = run_cli(capsys, "buffers", "--json")
    assert code == 0
    listing = json.loads(out)
    assert listing["pool"]["provider"] == "sim"
    entry = next(b for b in listing["buffers"] if b["handle"] == buf.handle)
    assert entry["size"] == 16384
    assert entry["physical_address"] == buf.physical_address
    assert entry["session"] == device.session.id[:8]
    assert "pid" in entry["client"]
    assert run_cli(capsys, "buffers", "free", buf.handle)[0] == 0
    with pytest.raises(NotFound):
        buf.sync_to_device()


EXITING_CLIENT = """
import sys, pynq_remote
dev = pynq_remote.connect(sys.argv[1], lease=60.0)
pynq_remote.allocate(16 << 20, "u1", device=dev)
"""


def test_client_that_exits_without_closing_frees_its_memory_at_once(device, sim_address):
    before = pool_free_bytes(device)
    subprocess.run([sys.executable, "-c", EXITING_CLIENT, sim_address], check=True)
    assert pool_free_bytes(device) == before
