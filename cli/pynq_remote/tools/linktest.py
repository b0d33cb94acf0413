"""Raw byte throughput between host and device (the SinkBytes/SourceBytes RPCs)."""

import time

from ..errors import PynqRemoteError
from ..v1 import device_pb2

CHUNK_BYTES = 1 << 20


def upload_seconds(device, nbytes, chunk_bytes=CHUNK_BYTES):
    """Seconds to stream ``nbytes`` to the device, which discards them."""
    chunk = bytes(chunk_bytes)

    def chunks():
        for position in range(0, nbytes, chunk_bytes):
            size = min(chunk_bytes, nbytes - position)
            yield device_pb2.SinkBytesRequest(data=chunk if size == chunk_bytes
                                              else chunk[:size])

    start = time.perf_counter()
    received = device.call(device.device.SinkBytes, chunks(), timeout=None).bytes_received
    elapsed = time.perf_counter() - start
    _check(received, nbytes)
    return elapsed


def download_seconds(device, nbytes, chunk_bytes=CHUNK_BYTES):
    """Seconds to receive ``nbytes`` streamed by the device."""
    request = device_pb2.SourceBytesRequest(size=nbytes, chunk_size=chunk_bytes)
    start = time.perf_counter()
    received = sum(len(m.data) for m in device.stream(device.device.SourceBytes, request,
                                                       timeout=None))
    elapsed = time.perf_counter() - start
    _check(received, nbytes)
    return elapsed


def _check(received, nbytes):
    if received != nbytes:
        raise PynqRemoteError(f"link test moved {received} of {nbytes} bytes")
