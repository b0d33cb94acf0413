#!/usr/bin/env python3
"""A unary call against one turn of a persistent stream, from Python.

Issue #21 asks whether a persistent bidirectional stream for register
traffic could bring a read to 0.8x pynq 4.0's. This measures what it would
change on the client's side, the only side that differs: one C++ server
(bench/echo_server beside the server binary in use, built with the
server's tests) answers a unary call
(``DeviceService.Echo``, as the real server does) and each turn (one
message written, its echo read) of an open stream, all empty messages, on
gRPC's callback API. Per call, medians, interleaved in turns of 100:
(u) a unary call; (s) a turn of a stream through grpcio's synchronous API,
which sends from a request iterator on a thread of its own; (au) a unary
call and (as) a stream turn through grpc.aio, on one event loop. The
client is grpcio as pynq_remote sets it up (channel options, EventEngine
client off). Prints each figure and its ratio to (u).
Usage: bench/stream.py [--count C]
"""

import argparse
import asyncio
import queue
import subprocess

import grpc

from pynq_remote.connection import channel
from pynq_remote.tools import benchmark
from pynq_remote.tools.server import find_server_binary

MESSAGE = b""  # an empty EchoRequest, and an empty stream message


class SyncClient:
    """A unary call, and turns of one open stream, through grpcio's sync API."""

    def __init__(self, address):
        self._channel = channel.open_channel(address)
        self._unary = self._channel.unary_unary("/pynq_remote.v1.DeviceService/Echo")
        self._requests = queue.SimpleQueue()
        self._responses = self._channel.stream_stream("/bench.Echo/Stream")(
            iter(self._requests.get, None))

    def unary(self):
        self._unary(MESSAGE, timeout=channel.DEFAULT_TIMEOUT_S)

    def turn(self):
        self._requests.put(MESSAGE)
        next(self._responses)

    def close(self):
        self._requests.put(None)
        self._channel.close()


class AsyncClient:
    """The same through grpc.aio, each sample run on one event loop."""

    def __init__(self, address):
        self._loop = asyncio.new_event_loop()
        self._loop.run_until_complete(self._open(address))

    async def _open(self, address):
        # grpc.aio binds a channel to the loop running when it is made.
        self._channel = grpc.aio.insecure_channel(address, options=channel.CHANNEL_OPTIONS)
        self._unary = self._channel.unary_unary("/pynq_remote.v1.DeviceService/Echo")
        self._stream = self._channel.stream_stream("/bench.Echo/Stream")()

    def unary_samples(self, count):
        return self._loop.run_until_complete(self._timed(self._one_unary, count))

    def turn_samples(self, count):
        return self._loop.run_until_complete(self._timed(self._one_turn, count))

    async def _one_unary(self):
        await self._unary(MESSAGE, timeout=channel.DEFAULT_TIMEOUT_S)

    async def _one_turn(self):
        await self._stream.write(MESSAGE)
        await self._stream.read()

    @staticmethod
    async def _timed(call, count):
        samples = []
        for _ in range(count):
            start = asyncio.get_running_loop().time()
            await call()
            samples.append(asyncio.get_running_loop().time() - start)
        return samples

    def close(self):
        async def end():
            await self._stream.done_writing()
            await self._channel.close()
        self._loop.run_until_complete(end())
        self._loop.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=4000, help="calls timed for each figure")
    args = parser.parse_args()
    echo_server = find_server_binary().parent / "bench" / "echo_server"
    if not echo_server.exists():
        raise SystemExit(f"{echo_server} is missing: build it with scripts/build-server.sh")
    server = subprocess.Popen([echo_server], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              text=True)
    address = f"127.0.0.1:{server.stdout.readline().strip()}"
    sync, aio = SyncClient(address), AsyncClient(address)
    try:
        latency = benchmark.interleaved_latency(
            {"u": benchmark.sampler(sync.unary), "s": benchmark.sampler(sync.turn),
             "au": aio.unary_samples, "as": aio.turn_samples}, args.count)
    finally:
        sync.close()
        aio.close()
        server.stdin.close()
        server.wait(timeout=30)
    medians = {name: figure.median_s for name, figure in latency.items()}
    names = {"u": "unary call (sync API)", "s": "stream turn (sync API)",
             "au": "unary call (grpc.aio)", "as": "stream turn (grpc.aio)"}
    for name, text in names.items():
        print(f"({name:2}) {text:28} {medians[name] * 1e6:8.1f} us   "
              f"{medians[name] / medians['u']:5.2f} x (u)")


if __name__ == "__main__":
    main()
