"""PYNQ's ``MMIO`` over the network, plus block transfers and batches.

Offsets are relative to ``base_addr`` and checked against ``length`` on the
host; the server checks the physical address against its allow-list.
"""

import numpy as np

from ..connection.channel import DEFAULT_TIMEOUT_S
from ..devices import default_device
from ..errors import PynqRemoteUserError
from ..legacy import NotAvailable
from ..v1 import mmio_pb2

_WIDTHS = {1: mmio_pb2.WIDTH_8, 2: mmio_pb2.WIDTH_16, 4: mmio_pb2.WIDTH_32,
           8: mmio_pb2.WIDTH_64}
_DTYPES = {1: "<u1", 2: "<u2", 4: "<u4", 8: "<u8"}
_BATCH = "/pynq_remote.v1.MmioService/Batch"


class MmioAccessError(PynqRemoteUserError, ValueError):
    """An access outside the MMIO object's range, or of an unsupported width."""


def wire_width(width):
    """The wire enum for an access of ``width`` bytes (1, 2, 4 or 8)."""
    try:
        return _WIDTHS[width]
    except KeyError:
        raise MmioAccessError(
            f"unsupported access width of {width} bytes: use 1, 2, 4 or 8") from None


class MMIO:
    """A window of ``length`` bytes of physical address space at ``base_addr``.

    ``device`` defaults to the first device of ``PYNQ_REMOTE_DEVICES``.
    """

    def __init__(self, base_addr, length=4, device=None):
        if base_addr < 0 or length <= 0:
            raise MmioAccessError(f"bad MMIO range: base 0x{base_addr:x}, length {length}")
        self.base_addr = base_addr
        self.length = length
        self.device = device if device is not None else default_device()
        # A PYNQ.remote server (pynq_remote.legacy): reads and writes only.
        self._window = (self.device.open_window(base_addr, length)
                        if getattr(self.device, "legacy", False) else None)

    def address(self, offset, size):
        """The physical address of ``offset``, checked to fit ``size`` bytes."""
        if offset < 0 or offset + size > self.length:
            raise MmioAccessError(
                f"offset 0x{offset:x} ({size} bytes) is outside the MMIO range of "
                f"0x{self.length:x} bytes at 0x{self.base_addr:x}")
        return self.base_addr + offset

    def read(self, offset=0, length=4, word_order="little"):
        """Reads one value of ``length`` bytes (1, 2, 4 or 8) with one access.

        ``word_order="big"`` swaps the 32-bit halves of an 8-byte value.
        """
        address = self.address(offset, length)
        if self._window is None:
            request = mmio_pb2.ReadRequest(address=address, width=wire_width(length))
            value = self.device.call(self.device.mmio.Read, request).value
        elif length == 8:
            # The PYNQ.remote reply holds 32 bits: two reads, low word first.
            value = (self.device.read_register(self._window, offset, 4)
                     | self.device.read_register(self._window, offset + 4, 4) << 32)
        else:
            wire_width(length)
            value = self.device.read_register(self._window, offset, length)
        if length == 8 and word_order == "big":
            value = ((value & 0xFFFFFFFF) << 32) | (value >> 32)
        return value

    def write(self, offset, data, length=4):
        """Writes an int of ``length`` bytes, or ``bytes`` as consecutive 32-bit words."""
        if isinstance(data, (bytes, bytearray, memoryview)):
            if len(data) % 4:
                raise MmioAccessError(
                    f"{len(data)} bytes of data is not a whole number of 32-bit words")
            self.write_block(offset, np.frombuffer(data, dtype="<u4"))
            return
        if not 0 <= data < (1 << (8 * length)):
            raise MmioAccessError(f"value {data:#x} does not fit in {length} bytes")
        if self._window is not None:
            if length % 4:
                raise MmioAccessError("a PYNQ.remote server writes whole 32-bit words")
            self.address(offset, length)
            self.device.write_register(self._window, offset, data.to_bytes(length, "little"))
            return
        request = mmio_pb2.WriteRequest(address=self.address(offset, length),
                                        width=wire_width(length), value=data)
        self.device.call(self.device.mmio.Write, request)

    def write_mm(self, offset, data):
        """PYNQ's name: ``write`` of an int (32 bits) or of ``bytes``."""
        self.write(offset, data)

    def write_reg(self, offset, data):
        """PYNQ's name: ``write`` of one 32-bit int."""
        if not isinstance(data, int):
            raise MmioAccessError(f"write_reg writes an int, not {type(data).__name__}")
        self.write(offset, data)

    def read_block(self, offset, count, width=4):
        """Reads ``count`` consecutive words of ``width`` bytes in one call.

        Returns a numpy array of unsigned ints of that width.
        """
        self._v1_only("read_block")
        request = mmio_pb2.ReadBlockRequest(address=self.address(offset, count * width),
                                            width=wire_width(width), count=count)
        data = self.device.call(self.device.mmio.ReadBlock, request).data
        return np.frombuffer(data, dtype=_DTYPES[width]).copy()

    def write_block(self, offset, values, width=4):
        """Writes consecutive words of ``width`` bytes in one call."""
        words = np.asarray(values)
        if words.size and (words.min() < 0 or int(words.max()) >= 1 << (8 * width)):
            raise MmioAccessError(f"a value does not fit in {width} bytes")
        data = words.astype(_DTYPES[width]).tobytes()
        if self._window is not None and width == 4:
            self.address(offset, len(data))
            self.device.write_register(self._window, offset, data)
            return
        self._v1_only("write_block")
        request = mmio_pb2.WriteBlockRequest(
            address=self.address(offset, len(data)), width=wire_width(width), data=data)
        self.device.call(self.device.mmio.WriteBlock, request)

    def batch(self):
        """Returns a ``Batch`` of steps to run on the board in one call."""
        self._v1_only("batch")
        return Batch(self)

    def _v1_only(self, what):
        if self._window is not None:
            raise NotAvailable(f"MMIO {what} is not available over the PYNQ.remote "
                               f"protocol of {self.device.address}")

    def __repr__(self):
        return f"MMIO(0x{self.base_addr:x}, 0x{self.length:x}, device={self.device!r})"


class Batch:
    """An ordered list of register steps that the board runs in one call.

    ``run()`` returns one value per step: the value read (read), written
    (write), found before the change (modify) or that ended the poll (poll).
    """

    def __init__(self, mmio):
        self.mmio = mmio
        # Built step by step and serialized once, so run() sends the same
        # bytes however often it runs (serializing cost ~50 ns per step,
        # making the request anew from a list ~1 us).
        self._request = mmio_pb2.BatchRequest()
        self._wire = None
        self.timeout_s = 0.0

    @property
    def steps(self):
        """The request's steps, a protobuf repeated field one may change."""
        self._wire = None
        return self._request.steps

    def read(self, offset, width=4):
        self._add(read=mmio_pb2.ReadStep(address=self.mmio.address(offset, width),
                                         width=wire_width(width)))
        return self

    def write(self, offset, value, width=4):
        self._add(write=mmio_pb2.WriteStep(address=self.mmio.address(offset, width),
                                           width=wire_width(width), value=value))
        return self

    def modify(self, offset, mask, value, width=4):
        """Sets the bits of ``mask`` to those of ``value``, keeping the others."""
        self._add(modify=mmio_pb2.ModifyStep(address=self.mmio.address(offset, width),
                                             width=wire_width(width), mask=mask,
                                             value=value))
        return self

    def poll(self, offset, mask, expected, timeout=1.0, interval=0.0, width=4):
        """Waits until ``(value & mask) == expected``; fails after ``timeout`` s."""
        self._add(poll=mmio_pb2.PollStep(address=self.mmio.address(offset, width),
                                         width=wire_width(width), mask=mask,
                                         expected=expected,
                                         timeout_ms=round(timeout * 1000),
                                         interval_us=round(interval * 1e6)))
        self.timeout_s += timeout
        return self

    def _add(self, **step):
        self.steps.add(**step)

    def run(self):
        device = self.mmio.device
        if self._wire is None:
            self._wire = self._request.SerializeToString()
        method = device.method("unary_unary", _BATCH, None,
                               mmio_pb2.BatchResponse.FromString)
        response = device.call(method, self._wire,
                               timeout=DEFAULT_TIMEOUT_S + self.timeout_s)
        return list(response.values)
