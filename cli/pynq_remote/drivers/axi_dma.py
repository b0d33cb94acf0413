"""``AxiDMA``: the AXI DMA (PG021) in simple mode, with PYNQ's shape.

    dma = AxiDMA(ip_description, device=dev)
    dma.recvchannel.transfer(out_buf)
    dma.sendchannel.transfer(in_buf)
    dma.sendchannel.wait()
    dma.recvchannel.wait()

A transfer is one call to the board (address and length written in one
batch); ``wait`` polls on the board in short slices and reads the status
between them, so an error the engine reports raises at once with its decoded
name, as PYNQ's ``wait`` does; then ``recvchannel`` syncs the received bytes
back into the host copy. ``wait_async`` does the same without blocking the
event loop. ``DMA`` is the PYNQ name (``pynq_remote.lib.dma.DMA``).
"""

import asyncio
import time

from ..errors import DeadlineExceeded, PynqRemoteError
from .default_ip import DefaultIP

MM2S, S2MM = 0x00, 0x30
DMACR, DMASR, ADDRESS, ADDRESS_MSB, LENGTH = 0x00, 0x04, 0x18, 0x1C, 0x28
RUN_STOP, RESET = 1 << 0, 1 << 2
HALTED, IDLE = 1 << 0, 1 << 1
ERRORS = {1 << 4: "internal error (DMAIntErr)", 1 << 5: "slave error (DMASlvErr)",
          1 << 6: "decode error (DMADecErr)"}


def _register(offset, fields=None):
    return {"address_offset": offset, "size": 32, "fields": fields or {}}


def _bits(**fields):
    return {name: {"bit_offset": bit, "bit_width": 1} for name, bit in fields.items()}


_CONTROL = _bits(RS=0, Reset=2, Keyhole=3, IOC_IrqEn=12, Dly_IrqEn=13, Err_IrqEn=14)
_STATUS = _bits(Halted=0, Idle=1, SGIncld=3, DMAIntErr=4, DMASlvErr=5, DMADecErr=6,
                IOC_Irq=12, Dly_Irq=13, Err_Irq=14)


def _error_names(status):
    return [name for bit, name in ERRORS.items() if status & bit]


# How long one poll on the board lasts before the host looks at the error bits.
POLL_SLICE_S = 0.05


class DmaError(PynqRemoteError, RuntimeError):
    """The DMA engine reported an error in its status register (a
    ``RuntimeError``, as PYNQ raises)."""


class DmaChannel:
    """One direction of the DMA: MM2S (send) or S2MM (receive)."""

    def __init__(self, mmio, offset, max_size, receive):
        self._mmio = mmio
        self._offset = offset
        self.max_size = max_size
        self._receive = receive
        self._active_buffer = None
        self._first_transfer = True
        self.transferred = 0

    @property
    def status(self):
        return self._mmio.read(self._offset + DMASR)

    @property
    def running(self):
        return not self.status & HALTED

    @property
    def idle(self):
        return bool(self.status & IDLE)

    @property
    def error(self):
        """Names of the error bits set in the status register."""
        return _error_names(self.status)

    def start(self):
        self._mmio.batch().modify(self._offset + DMACR, RUN_STOP, RUN_STOP).poll(
            self._offset + DMASR, HALTED, 0, timeout=1.0).run()
        self._first_transfer = True

    def stop(self):
        self._mmio.batch().modify(self._offset + DMACR, RUN_STOP, 0).run()

    def transfer(self, array, start=0, nbytes=0):
        """Starts moving ``nbytes`` (default: all) of ``array`` from byte ``start``."""
        if not self.running:
            raise DmaError("DMA channel not started")
        if not self._first_transfer and not self.idle:
            raise DmaError("DMA channel not idle: wait() for the last transfer")
        nbytes = nbytes or array.nbytes - start
        if not 0 < nbytes <= self.max_size or start + nbytes > array.nbytes:
            raise DmaError(f"transfer of {nbytes} bytes from byte {start} does not fit the "
                           f"buffer of {array.nbytes} bytes and the DMA's maximum of "
                           f"{self.max_size} bytes")
        if not self._receive:
            array.sync_to_device()
        address = array.physical_address + start
        (self._mmio.batch()
         .write(self._offset + ADDRESS, address & 0xFFFFFFFF)
         .write(self._offset + ADDRESS_MSB, address >> 32)
         .write(self._offset + LENGTH, nbytes)
         .run())
        self._active_buffer = array
        self._first_transfer = False

    def wait(self, timeout=10.0):
        """Waits until the transfer is done; raises ``DmaError`` as soon as the
        engine reports an error, or when ``timeout`` seconds pass."""
        self._check_waitable()
        deadline = time.monotonic() + timeout
        while not self._poll_slice(deadline):
            pass
        self._finish()

    async def wait_async(self, timeout=10.0):
        """``wait`` for an event loop: each poll slice runs in a worker thread."""
        self._check_waitable()
        deadline = time.monotonic() + timeout
        while not await asyncio.to_thread(self._poll_slice, deadline):
            pass
        self._finish()

    def _check_waitable(self):
        if self._active_buffer is None:
            raise DmaError("no transfer to wait for")

    def _poll_slice(self, deadline):
        """Polls for idle for one slice; True when idle, raises on an error bit
        or at the deadline."""
        slice_s = max(0.001, min(POLL_SLICE_S, deadline - time.monotonic()))
        try:
            status = self._mmio.batch().poll(self._offset + DMASR, IDLE, IDLE,
                                             timeout=slice_s).run()[0]
        except DeadlineExceeded:
            status = self.status
        errors = _error_names(status)
        if errors:
            self._active_buffer = None
            raise DmaError(f"DMA {'S2MM' if self._receive else 'MM2S'} channel reported "
                           f"{', '.join(errors)} (status 0x{status:08x}); reset the DMA "
                           "(dma.reset()) before the next transfer")
        if status & IDLE:
            return True
        if time.monotonic() >= deadline:
            raise DeadlineExceeded(f"DMA {'S2MM' if self._receive else 'MM2S'} transfer "
                                   f"not done in time (status 0x{status:08x})")
        return False

    def _finish(self):
        if self._receive:
            self._active_buffer.sync_from_device()
        self.transferred = self._mmio.read(self._offset + LENGTH)
        self._active_buffer = None


class AxiDMA(DefaultIP):
    """The AXI DMA in simple (direct register) mode."""

    bindto = ["xilinx.com:ip:axi_dma:7.1"]
    registers = {
        "MM2S_DMACR": _register(0x00, _CONTROL),
        "MM2S_DMASR": _register(0x04, _STATUS),
        "MM2S_SA": _register(0x18),
        "MM2S_SA_MSB": _register(0x1C),
        "MM2S_LENGTH": _register(0x28),
        "S2MM_DMACR": _register(0x30, _CONTROL),
        "S2MM_DMASR": _register(0x34, _STATUS),
        "S2MM_DA": _register(0x48),
        "S2MM_DA_MSB": _register(0x4C),
        "S2MM_LENGTH": _register(0x58),
    }

    def __init__(self, description, device=None, design=None):
        super().__init__(description, device, design)
        length_width = int(self._parameter("c_sg_length_width", 14))
        self.buffer_max_size = (1 << length_width) - 1
        self.sendchannel = None
        self.recvchannel = None
        self.set_up_tx_channel()
        self.set_up_rx_channel()
        self.reset()

    def _parameter(self, name, default):
        """A parameter by its name in either case (Vivado writes C_..., PYNQ reads c_...)."""
        for key in (name, name.upper()):
            if key in self.parameters:
                return self.parameters[key]
        return default

    def set_up_tx_channel(self):
        """Makes ``sendchannel`` (MM2S) if the design includes it."""
        if int(self._parameter("c_include_mm2s", 1)):
            self.sendchannel = DmaChannel(self.mmio, MM2S, self.buffer_max_size,
                                          receive=False)

    def set_up_rx_channel(self):
        """Makes ``recvchannel`` (S2MM) if the design includes it."""
        if int(self._parameter("c_include_s2mm", 1)):
            self.recvchannel = DmaChannel(self.mmio, S2MM, self.buffer_max_size,
                                          receive=True)

    def reset(self):
        """Resets both channels (clearing errors and pending transfers), then starts them."""
        self.mmio.batch().write(MM2S + DMACR, RESET).poll(MM2S + DMACR, RESET, 0).run()
        for channel in (self.sendchannel, self.recvchannel):
            if channel is not None:
                channel.start()


DMA = AxiDMA
