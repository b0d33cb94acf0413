"""Our client against a server that speaks only the PYNQ.remote protocol.

An original PYNQ.cpp server (or ``pynq-remote-server --pynq-remote-compat
only``) has no ``pynq_remote.v1`` services. ``connect()`` then returns a
``LegacyDevice``, which offers what that protocol can: MMIO reads and
writes, buffers, bitstream download and the board's architecture. It says
once, on stderr, what is unavailable.

The compatibility stubs are imported here only, so a process that never
meets such a server never registers PYNQ's proto packages.
"""

import logging
import time

import grpc
import numpy as np

from .connection import channel
from .errors import DeviceError, PynqRemoteUserError, from_rpc_error
from .v1 import device_pb2, device_pb2_grpc

log = logging.getLogger(__name__)

UNAVAILABLE = ("device info, sessions (buffers live until freed), block "
               "transfers and batches, buffer listing, PL clocks, link tests")

FIRMWARE = "/lib/firmware/"
FPGA_MANAGER = "/sys/class/fpga_manager/fpga0/"
FILE_CHUNK_BYTES = 2 << 20
PROBE_TIMEOUT_S = 5.0


class NotAvailable(PynqRemoteUserError):
    """The feature needs the pynq_remote.v1 services, which the server lacks."""


class Refused(DeviceError):
    """A PYNQ.remote answer carried ``msg``: the board refused the request.
    The protocol gives no status code, so ``code`` is UNKNOWN."""

    def __init__(self, details):
        PynqRemoteUserError.__init__(self, details)
        self.details = details


def _stubs():
    from .compat import (buffer_pb2, buffer_pb2_grpc, mmio_pb2, mmio_pb2_grpc,
                         remote_device_pb2, remote_device_pb2_grpc)
    return (buffer_pb2, buffer_pb2_grpc, mmio_pb2, mmio_pb2_grpc, remote_device_pb2,
            remote_device_pb2_grpc)


class LegacyDevice:
    """A board reached over the PYNQ.remote protocol.

    Errors are the same ``pynq_remote`` errors as with a ``Device``; a
    ``msg`` in an answer becomes ``Refused`` (a ``DeviceError``).
    """

    legacy = True

    def __init__(self, address, grpc_channel):
        self.address = address
        self._channel = grpc_channel
        (self._buffer_pb2, buffer_grpc, self._mmio_pb2, mmio_grpc, self._device_pb2,
         device_grpc) = _stubs()
        self.remote_device = device_grpc.RemoteDeviceStub(grpc_channel)
        self.mmio = mmio_grpc.MmioStub(grpc_channel)
        self.buffers = buffer_grpc.RemoteBufferStub(grpc_channel)

    # -- calls -----------------------------------------------------------

    def call(self, method, request, timeout=channel.DEFAULT_TIMEOUT_S):
        """One call; an RPC error or a ``msg`` in the answer raises."""
        try:
            response = method(request, timeout=timeout)
        except grpc.RpcError as error:
            raise from_rpc_error(error, self.address) from None
        if _has_msg(response) and response.HasField("msg"):
            raise Refused(response.msg)
        return response

    def stream(self, method, request, timeout=channel.DEFAULT_TIMEOUT_S):
        try:
            for response in method(request, timeout=timeout):
                if _has_msg(response) and response.HasField("msg"):
                    raise Refused(response.msg)
                yield response
        except grpc.RpcError as error:
            raise from_rpc_error(error, self.address) from None

    # -- files -----------------------------------------------------------

    def exists_file(self, path):
        request = self._device_pb2.ExistsFileRequest(file_path=path)
        return self.call(self.remote_device.existsfile, request).exists

    def read_file(self, path):
        request = self._device_pb2.ReadFileRequest(file_path=path)
        return b"".join(r.data for r in self.stream(self.remote_device.readfile, request))

    def write_file(self, path, data, timeout=None):
        data = bytes(data)

        def chunks():
            for start in range(0, max(len(data), 1), FILE_CHUNK_BYTES):
                yield self._device_pb2.WriteFileRequest(
                    file_path=path, data=data[start:start + FILE_CHUNK_BYTES])

        timeout = timeout or 30.0 + len(data) / (4 << 20)
        self.call(self.remote_device.writefile, chunks(), timeout=timeout)

    # -- board -----------------------------------------------------------

    @property
    def arch(self):
        """``aarch64`` or ``armv7l``, from the board's /proc/version."""
        return "aarch64" if b"aarch64" in self.read_file("/proc/version") else "armv7l"

    @property
    def board(self):
        path = "/proc/device-tree/chosen/pynq_board"
        if not self.exists_file(path):
            return "Unknown"
        return self.read_file(path).decode().strip("\x00").strip()

    def info(self):
        raise NotAvailable(f"{self.address} speaks only the PYNQ.remote protocol: "
                           "device info is not available (use .arch and .board)")

    def ping(self):
        start = time.perf_counter()
        self.exists_file("/proc/version")
        return time.perf_counter() - start

    # -- MMIO ------------------------------------------------------------

    def open_window(self, base, length):
        """The id of an MMIO window of ``length`` bytes at ``base``."""
        request = self._mmio_pb2.GetMmioRequest(base_addr=base, length=length)
        return self.call(self.mmio.get_mmio, request).mmio_id

    def read_register(self, window, offset, length=4, word_order="little"):
        request = self._mmio_pb2.ReadRequest(mmio_id=window, offset=offset, length=length,
                                             word_order=word_order)
        return self.call(self.mmio.read, request).data

    def write_register(self, window, offset, data):
        request = self._mmio_pb2.WriteRequest(mmio_id=window, offset=offset, data=data)
        self.call(self.mmio.write, request)

    # -- buffers ---------------------------------------------------------

    def allocate(self, shape, dtype="u4", cacheable=False, alignment=0):
        """A ``LegacyBuffer``; freed by ``freebuffer()`` (not with a session)."""
        if alignment:
            raise NotAvailable("alignment is not available over the PYNQ.remote protocol")
        mirror = np.zeros(shape, dtype)
        request = self._buffer_pb2.AllocateRequest(size=max(mirror.nbytes, 1),
                                                   dtype=mirror.dtype.str,
                                                   cacheable=cacheable)
        buffer_id = self.call(self.buffers.allocate, request).buffer_id
        return LegacyBuffer._wrap(mirror, self, buffer_id)

    # -- bitstreams ------------------------------------------------------

    def program_bitstream(self, sha256, read_bin, partial=False, progress=None):
        """Writes FPGA-manager bytes to /lib/firmware (unless the board has
        them: ``read_bin()`` gives them) and loads them; returns the bytes
        sent and the FPGA manager's state."""
        name = f"pynq-remote-{sha256[:16]}.bin"
        sent = 0
        if not self.exists_file(FIRMWARE + name):
            data = read_bin()
            self.write_file(FIRMWARE + name, data)
            sent = len(data)
            if progress:
                progress(sent, sent)
        self.call(self.remote_device.set_bitstream_attrs,
                  self._device_pb2.SetBitstreamAttrsRequest(binfile_name=name,
                                                            partial=partial))
        self.write_file(FPGA_MANAGER + "flags", b"1" if partial else b"0")
        self.write_file(FPGA_MANAGER + "firmware", name.encode(), timeout=60.0)
        return sent, self.read_file(FPGA_MANAGER + "state").decode().strip()

    def close(self):
        self._channel.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __repr__(self):
        return f"LegacyDevice({self.address!r})"


def _has_msg(response):
    return "msg" in response.DESCRIPTOR.fields_by_name


class LegacyBuffer(np.ndarray):
    """A numpy array mirroring a buffer on a PYNQ.remote board; every sync
    moves the whole buffer."""

    @classmethod
    def _wrap(cls, mirror, device, buffer_id):
        buf = mirror.view(cls)
        buf._device = device
        buf.buffer_id = buffer_id
        buf.freed = False
        return buf

    def __array_finalize__(self, obj):
        self._device = getattr(obj, "_device", None)
        self.buffer_id = getattr(obj, "buffer_id", None)
        self.freed = getattr(obj, "freed", False)

    def _pb2(self):
        return self._device._buffer_pb2

    @property
    def physical_address(self):
        request = self._pb2().AddressRequest(buffer_id=self.buffer_id)
        return self._device.call(self._device.buffers.physical_address, request).address

    device_address = physical_address

    def sync_to_device(self):
        device, pb2 = self._device, self._pb2()
        data = np.ascontiguousarray(self).tobytes()

        def chunks():
            for start in range(0, len(data), FILE_CHUNK_BYTES):
                yield pb2.BufferWriteRequest(buffer_id=self.buffer_id,
                                             data=data[start:start + FILE_CHUNK_BYTES])

        device.call(device.buffers.write, chunks(), timeout=30.0 + len(data) / (4 << 20))
        device.call(device.buffers.flush, pb2.FlushRequest(buffer_id=self.buffer_id))
        return len(data)

    def sync_from_device(self):
        device, pb2 = self._device, self._pb2()
        device.call(device.buffers.invalidate, pb2.InvalidateRequest(buffer_id=self.buffer_id))
        data = b"".join(r.data for r in device.stream(
            device.buffers.read, pb2.BufferReadRequest(buffer_id=self.buffer_id),
            timeout=30.0 + self.nbytes / (4 << 20)))
        if len(data) < self.nbytes:
            raise Refused(f"buffer {self.buffer_id}: read {len(data)} of "
                              f"{self.nbytes} bytes")
        self[...] = np.frombuffer(data, dtype=self.dtype, count=self.size).reshape(self.shape)
        return len(data)

    flush = sync_to_device
    invalidate = sync_from_device

    def freebuffer(self):
        if not self.freed:
            self.freed = True
            self._device.call(self._device.buffers.freebuffer,
                              self._pb2().FreeBufferRequest(buffer_id=self.buffer_id))

    close = freebuffer

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.freebuffer()


def probe(address, grpc_channel):
    """A ``LegacyDevice`` when the server at ``address`` lacks the v1
    DeviceService (UNIMPLEMENTED), else None."""
    stub = device_pb2_grpc.DeviceServiceStub(grpc_channel)
    try:
        stub.GetInfo(device_pb2.GetInfoRequest(), timeout=PROBE_TIMEOUT_S)
    except grpc.RpcError as error:
        if error.code() == grpc.StatusCode.UNIMPLEMENTED:
            log.warning("%s speaks only the PYNQ.remote protocol: MMIO, buffers, "
                        "bitstream download and arch work; unavailable: %s",
                        address, UNAVAILABLE)
            return LegacyDevice(address, grpc_channel)
    return None


__all__ = ["LegacyBuffer", "LegacyDevice", "NotAvailable", "Refused", "probe"]
