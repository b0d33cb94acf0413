#!/usr/bin/env python3
"""Per-call latency of one register read under gRPC client configurations.

Each configuration is a child process of its own (an interpreter, so a
grpcio version; environment variables; channel options; how the call is
made), all against one sim server and driven in turns of 100 calls, so the
machine's load hits all alike. Raw calls send pre-serialized bytes through
``channel.unary_unary`` with no stub, so any grpcio can run them; ``library``
calls are ``pynq_remote.MMIO.read``. Prints the median per call and its
ratio to the first row. The table in docs/performance.md is this output.
Usage: bench/client_config.py [--count C]
"""

import argparse
import json
import os
import pathlib
import subprocess
import sys

from pynq_remote.compat import mmio_pb2 as compat_mmio_pb2
from pynq_remote.compat import mmio_pb2_grpc as compat_mmio_pb2_grpc
from pynq_remote.connection import channel
from pynq_remote.tools import benchmark
from pynq_remote.tools.server import LocalServer
from pynq_remote.v1 import device_pb2, mmio_pb2

BRAM = 0xA0100000
TOP = pathlib.Path(__file__).resolve().parents[1]
ENV_PYTHON = sys.executable

# The child: reads a count per line from stdin, times that many calls,
# prints their durations as one JSON line.
CHILD = """
import json, sys, time
setup = json.loads(sys.argv[1])
if setup["style"] == "library":
    import pynq_remote
    device = pynq_remote.connect(setup["address"])
    call = pynq_remote.MMIO(setup["bram"], 4, device=device).read
else:
    import grpc
    channel = grpc.insecure_channel(setup["address"],
                                    options=[tuple(o) for o in setup["options"]])
    stub = channel.unary_unary(setup["method"])
    request = bytes.fromhex(setup["request"])
    kwargs = {"timeout": 10.0} if setup["style"] != "no deadline" else {}
    if setup["style"] == "metadata":
        kwargs["metadata"] = (("authorization", "Bearer " + "x" * 43),)
    call = lambda: stub(request, **kwargs)
for line in sys.stdin:
    samples = []
    for _ in range(int(line)):
        start = time.perf_counter()
        call()
        samples.append(time.perf_counter() - start)
    print(json.dumps(samples), flush=True)
"""


class Child:
    def __init__(self, python, env, setup):
        environment = {k: v for k, v in os.environ.items()
                       if not k.startswith(("PYNQ_REMOTE", "GRPC_"))}
        environment.update(env)
        self._process = subprocess.Popen([python, "-c", CHILD, json.dumps(setup)],
                                         env=environment, text=True,
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def samples(self, count):
        self._process.stdin.write(f"{count}\n")
        self._process.stdin.flush()
        line = self._process.stdout.readline()
        if not line:
            raise RuntimeError(f"a child exited ({self._process.wait()})")
        return json.loads(line)

    def close(self):
        self._process.stdin.close()
        self._process.wait(timeout=30)


def grpcio_version(python):
    return subprocess.run([python, "-c", "import grpc; print(grpc.__version__)"],
                          check=True, capture_output=True, text=True).stdout.strip()


def configurations(address, pynq_python):
    """(name, python, env, setup) of each configuration measured."""
    mmio_id = compat_mmio_pb2_grpc.MmioStub(channel.open_channel(address)).get_mmio(
        compat_mmio_pb2.GetMmioRequest(base_addr=BRAM, length=4)).mmio_id
    compat_read = {"method": "/mmio.Mmio/read", "request": compat_mmio_pb2.ReadRequest(
        mmio_id=mmio_id, length=4).SerializeToString().hex()}
    v1_read = {"method": "/pynq_remote.v1.MmioService/Read", "request": mmio_pb2.ReadRequest(
        address=BRAM, width=mmio_pb2.WIDTH_32).SerializeToString().hex()}
    echo = {"method": "/pynq_remote.v1.DeviceService/Echo",
            "request": device_pb2.EchoRequest().SerializeToString().hex()}
    no_retries = [["grpc.enable_retries", 0]]
    ours = f"grpcio {grpcio_version(ENV_PYTHON)}"
    theirs = f"grpcio {grpcio_version(pynq_python)}"
    old_engine = {"GRPC_EXPERIMENTS": "-event_engine_client"}
    rows = [
        (f"{theirs}, compat read", pynq_python, {}, {**compat_read, "options": []}),
        (f"{ours}, compat read", ENV_PYTHON, {}, {**compat_read, "options": []}),
        (f"{ours} -event_engine_client, compat read", ENV_PYTHON, old_engine,
         {**compat_read, "options": []}),
        (f"{ours}, v1 Read", ENV_PYTHON, {}, {**v1_read, "options": no_retries}),
        (f"{ours}, Echo", ENV_PYTHON, {}, {**echo, "options": no_retries}),
        (f"{ours} -event_engine_client, v1 Read", ENV_PYTHON, old_engine,
         {**v1_read, "options": no_retries}),
        (f"{ours} -event_engine_client, Echo", ENV_PYTHON, old_engine,
         {**echo, "options": no_retries}),
        (f"{ours} poller poll, v1 Read", ENV_PYTHON, {"GRPC_POLL_STRATEGY": "poll"},
         {**v1_read, "options": no_retries}),
        (f"{ours}, v1 Read, retries on", ENV_PYTHON, {}, {**v1_read, "options": []}),
        (f"{ours}, v1 Read, no deadline", ENV_PYTHON, {},
         {**v1_read, "options": no_retries, "style": "no deadline"}),
        (f"{ours}, v1 Read, token metadata", ENV_PYTHON, {},
         {**v1_read, "options": no_retries, "style": "metadata"}),
        ("pynq_remote.MMIO.read (library, default engine)", ENV_PYTHON,
         {"GRPC_EXPERIMENTS": "event_engine_client"}, {"style": "library"}),
        ("pynq_remote.MMIO.read (library)", ENV_PYTHON, {}, {"style": "library"}),
    ]
    return [(name, python, env, {"style": "raw", **setup, "address": address,
                                 "bram": BRAM})
            for name, python, env, setup in rows]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=3000)
    args = parser.parse_args()
    pynq_python = subprocess.run([TOP / "scripts" / "install-pynq-venv.sh"], check=True,
                                 capture_output=True, text=True).stdout.split()[-1]
    with LocalServer(extra_args=["--pynq-remote-compat", "on"]) as server:
        rows = configurations(server.address, pynq_python)
        children = {name: Child(python, env, setup) for name, python, env, setup in rows}
        try:
            latency = benchmark.interleaved_latency(
                {name: child.samples for name, child in children.items()}, args.count)
        finally:
            for child in children.values():
                child.close()
    first = latency[rows[0][0]].median_s
    for name, *_ in rows:
        median = latency[name].median_s
        print(f"{name:<50} {median * 1e6:8.1f} us  {median / first:5.2f}")


if __name__ == "__main__":
    main()
