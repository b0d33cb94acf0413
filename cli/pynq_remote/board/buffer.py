"""Contiguous memory on the board for DMA, mirrored by a local numpy array.

``allocate(shape, dtype)`` reserves physically contiguous memory on the
board and returns a ``Buffer``: a ``numpy.ndarray`` holding the host's copy.
``sync_to_device`` streams the host copy (or a range of it) to the board,
``sync_from_device`` streams it back; each moves chunks, so a sync of any size
needs at most one chunk of extra host memory.
"""

import numpy as np
from numpy.lib.array_utils import byte_bounds

from ..connection.device import register_allocator
from ..devices import default_device
from ..errors import NotFound
from ..v1 import buffer_pb2

CHUNK_BYTES = 1 << 20


class Buffer(np.ndarray):
    """A numpy array mirroring a buffer on the board.

    Views and slices keep ``physical_address`` (of their first byte) and sync
    only the bytes they span.
    """

    def __array_finalize__(self, obj):
        # Views share the root's memory; results of arithmetic do not.
        root = getattr(obj, "_root", None)
        self._root = root if root is not None and np.may_share_memory(self, root) else None

    @classmethod
    def _wrap(cls, mirror, device, session_id, info):
        buf = mirror.view(cls)
        buf._root = buf
        buf._device = device
        # Calls name the session the buffer was made in: should the server
        # restart, they fail with NotFound instead of reaching a new buffer
        # that happens to get the same handle.
        buf._session_id = session_id
        buf.handle = info.handle
        buf.cacheable = info.cacheable
        buf._physical_base = info.physical_address
        buf._raw = memoryview(mirror.reshape(-1).view(np.uint8))
        buf.freed = False
        return buf

    @property
    def physical_address(self):
        return self._root._physical_base + self._byte_span()[0]

    device_address = physical_address

    @property
    def coherent(self):
        """PYNQ's name: True when no cache maintenance is needed."""
        return not self._root.cacheable

    @property
    def virtual_address(self):
        """PYNQ's name; here the address of the host copy (this process's memory),
        which is what a host-side caller can use it for."""
        return self.__array_interface__["data"][0]

    def _byte_span(self):
        """(offset, length) of the bytes this array spans in its root buffer."""
        if self._root is None:
            raise ValueError("this array is not part of a device buffer")
        low, high = byte_bounds(self)
        root_low = byte_bounds(self._root)[0]
        return low - root_low, high - low

    def _range(self, start, stop):
        offset, length = self._byte_span()
        if start is None and stop is None:
            return offset, length
        if not self.flags.c_contiguous:
            raise ValueError("start/stop need a contiguous array")
        begin, end, _ = slice(start, stop).indices(self.size)
        if end <= begin:
            return offset, 0
        return offset + begin * self.itemsize, (end - begin) * self.itemsize

    def sync_to_device(self, start=None, stop=None):
        """Sends the host copy to the board; ``start``/``stop`` index the
        flattened array. Returns the number of bytes sent."""
        offset, length = self._range(start, stop)
        if length == 0:
            return 0
        root = self._checked_root()
        sent = _write(root, offset, length)
        if root.cacheable:
            _sync(root, buffer_pb2.SYNC_DIRECTION_TO_DEVICE, offset, length)
        return sent

    def sync_from_device(self, start=None, stop=None):
        """Fetches the board's bytes into the host copy; returns bytes received."""
        offset, length = self._range(start, stop)
        if length == 0:
            return 0
        root = self._checked_root()
        if root.cacheable:
            _sync(root, buffer_pb2.SYNC_DIRECTION_FROM_DEVICE, offset, length)
        return _read(root, offset, length)

    flush = sync_to_device
    invalidate = sync_from_device

    def _checked_root(self):
        root = self._root
        if root is None:
            raise ValueError("this array is not part of a device buffer")
        if root.freed:
            raise ValueError(f"buffer {root.handle} was freed")
        return root

    def freebuffer(self):
        """Frees the board memory; the host copy stays readable."""
        root = self._root
        if root is not None and not root.freed:
            root.freed = True
            root._device.call(root._device.buffers.FreeBuffer, buffer_pb2.FreeBufferRequest(
                session_id=root._session_id, handle=root.handle))

    close = freebuffer

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.freebuffer()


def allocate(shape, dtype="u4", device=None, cacheable=False, alignment=0):
    """Reserves a buffer of ``shape`` and ``dtype`` on the board (PYNQ's ``allocate``).

    ``device`` defaults to the first device of ``PYNQ_REMOTE_DEVICES``.
    The host copy starts zeroed; call ``sync_to_device`` after filling it.
    """
    device = device if device is not None else default_device()
    if getattr(device, "legacy", False):
        return device.allocate(shape, dtype, cacheable=cacheable, alignment=alignment)
    mirror = np.zeros(shape, dtype)
    request = buffer_pb2.AllocateBufferRequest(
        session_id=device.session.id, size=max(mirror.nbytes, 1), alignment=alignment,
        cacheable=cacheable)
    try:
        info = device.call(device.buffers.AllocateBuffer, request).buffer
    except NotFound:
        # The server lost the session (it restarted): once, in a new one.
        if device.session.check():
            raise
        request.session_id = device.session.id
        info = device.call(device.buffers.AllocateBuffer, request).buffer
    return Buffer._wrap(mirror, device, request.session_id, info)


def free_buffer(device, handle, force=False):
    """Frees buffer ``handle``; ``force`` frees a buffer of any session (operators)."""
    session_id = "" if force else device.session.id
    device.call(device.buffers.FreeBuffer, buffer_pb2.FreeBufferRequest(
        session_id=session_id, handle=handle, force=force))


def list_buffers(device):
    """Every buffer on the device and the state of its memory pool."""
    response = device.call(device.buffers.ListBuffers, buffer_pb2.ListBuffersRequest())
    return response.buffers, response.pool


# Buffer bytes go on and off the wire without protobuf holding a copy of
# each chunk: a WriteBufferRequest is its small fields, serialized by
# protobuf, followed by the data field written here from the numpy memory;
# a ReadBufferResponse is parsed here, its data copied straight into the
# numpy memory. Fields may come in any order on the wire.
_WRITE_BUFFER = "/pynq_remote.v1.BufferService/WriteBuffer"
_READ_BUFFER = "/pynq_remote.v1.BufferService/ReadBuffer"
_WRITE_DATA_KEY = b"\x22"  # WriteBufferRequest.data: field 4, length-delimited
_READ_OFFSET_KEY = 0x08  # ReadBufferResponse.offset: field 1, varint
_READ_DATA_KEY = 0x12  # ReadBufferResponse.data: field 2, length-delimited


def _varint_bytes(value):
    out = bytearray()
    while value > 0x7F:
        out.append(0x80 | (value & 0x7F))
        value >>= 7
    out.append(value)
    return bytes(out)


def _varint_at(view, position):
    """(value, next position) of the varint at ``position`` of ``view``."""
    value = shift = 0
    while True:
        byte = view[position]
        position += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, position
        shift += 7


def _serialize_write_chunk(chunk):
    """``chunk``: (the request's other fields as wire bytes, a memoryview of the data)."""
    fields, data = chunk
    return b"".join((fields, _WRITE_DATA_KEY, _varint_bytes(len(data)), data))


def _parse_read_chunk(raw):
    """(offset, memoryview of the data) of a ReadBufferResponse's wire bytes."""
    view = memoryview(raw)
    offset, data, position = 0, view[:0], 0
    while position < len(view):
        key, position = _varint_at(view, position)
        if key == _READ_OFFSET_KEY:
            offset, position = _varint_at(view, position)
        elif key == _READ_DATA_KEY:
            size, position = _varint_at(view, position)
            data, position = view[position:position + size], position + size
        else:  # a field this client does not know: let protobuf read it all
            message = buffer_pb2.ReadBufferResponse.FromString(raw)
            return message.offset, memoryview(message.data)
    return offset, data


def _write(root, offset, length):
    device = root._device
    write_buffer = device.method("stream_unary", _WRITE_BUFFER, _serialize_write_chunk,
                                 buffer_pb2.WriteBufferResponse.FromString)

    def chunks():
        for position in range(offset, offset + length, CHUNK_BYTES):
            size = min(CHUNK_BYTES, offset + length - position)
            fields = buffer_pb2.WriteBufferRequest(
                session_id=root._session_id, handle=root.handle, offset=position)
            yield fields.SerializeToString(), root._raw[position:position + size]

    response = device.call(write_buffer, chunks(), timeout=_transfer_timeout(length))
    return response.bytes_written


def _read(root, offset, length):
    device = root._device
    read_buffer = device.method("unary_stream", _READ_BUFFER,
                                buffer_pb2.ReadBufferRequest.SerializeToString,
                                _parse_read_chunk, idempotent=True)
    request = buffer_pb2.ReadBufferRequest(session_id=root._session_id,
                                           handle=root.handle, offset=offset,
                                           length=length)
    received = 0
    for chunk_offset, data in device.stream(read_buffer, request,
                                            timeout=_transfer_timeout(length)):
        root._raw[chunk_offset:chunk_offset + len(data)] = data
        received += len(data)
    return received


def _sync(root, direction, offset, length):
    device = root._device
    device.call(device.buffers.SyncBuffer, buffer_pb2.SyncBufferRequest(
        session_id=root._session_id, handle=root.handle, direction=direction,
        offset=offset, length=length))


def _transfer_timeout(length):
    """A deadline that still allows a slow link: 10 s plus 1 s per 8 MiB."""
    return 10.0 + length / (8 << 20)


register_allocator(allocate)  # dev.allocate(...)
