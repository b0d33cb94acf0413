"""``AxiDMA``: the AXI DMA (PG021) in simple mode, with PYNQ's shape.

    dma = AxiDMA(ip_description, device=dev)
    dma.recvchannel.transfer(out_buf)
    dma.sendchannel.transfer(in_buf)
    dma.sendchannel.wait()
    dma.recvchannel.wait()

A transfer is one call to the board (address and length written in one
batch); ``wait`` polls on the board, then ``recvchannel`` syncs the received
bytes back into the host copy.
"""

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


class DmaError(PynqRemoteError):
    """The DMA engine reported an error in its status register."""


class DmaChannel:
    """One direction of the DMA: MM2S (send) or S2MM (receive)."""

    def __init__(self, mmio, offset, max_size, receive):
        self._mmio = mmio
        self._offset = offset
        self.max_size = max_size
        self._receive = receive
        self._active_buffer = None
        self._first_transfer = True

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
        """Waits until the transfer is done; raises ``DmaError`` on a DMA error."""
        if self._active_buffer is None:
            raise DmaError("no transfer to wait for")
        try:
            status = self._mmio.batch().poll(self._offset + DMASR, IDLE, IDLE,
                                             timeout=timeout).run()[0]
        except DeadlineExceeded:
            status = self.status
            if not _error_names(status):
                raise
        errors = _error_names(status)
        if errors:
            raise DmaError(f"DMA {'S2MM' if self._receive else 'MM2S'} channel reported "
                           f"{', '.join(errors)} (status 0x{status:08x})")
        if self._receive:
            self._active_buffer.sync_from_device()
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
        length_width = int(self.parameters.get("c_sg_length_width", 14))
        self.buffer_max_size = (1 << length_width) - 1
        self.sendchannel = DmaChannel(self.mmio, MM2S, self.buffer_max_size, receive=False)
        self.recvchannel = DmaChannel(self.mmio, S2MM, self.buffer_max_size, receive=True)
        self.reset()

    def reset(self):
        """Resets both channels (clearing errors and pending transfers), then starts them."""
        self.mmio.batch().write(MM2S + DMACR, RESET).poll(MM2S + DMACR, RESET, 0).run()
        self.sendchannel.start()
        self.recvchannel.start()
