"""``AxiGPIO``: the AXI GPIO (PG144) with PYNQ's channel shape.

    gpio = ol.axi_gpio_0
    gpio.channel1.setdirection("out")
    gpio.channel1.write(0x5, mask=0xF)   # one read-modify-write on the board
    gpio.channel2.read()
    gpio[0][2].toggle()                  # pin 2 of channel 1
    await gpio.channel2.wait_for_value_async(0x1)   # needs the design's interrupt

Waiting uses the IP's interrupt (PG144): the channel's bit of IP_IER and
GIER are set, a change already latched in IP_ISR returns at once, else the
wait goes to the design's interrupt (``ip2intc_irpt``) and the channel's
IP_ISR bit is cleared after (the register toggles on write, so only a set
bit is written).
"""

import asyncio

from ..errors import PynqRemoteUserError
from .default_ip import DefaultIP

DATA, TRI = 0x0, 0x4
CHANNEL_STRIDE = 0x8
GIER, IP_ISR, IP_IER = 0x11C, 0x120, 0x128
GIER_ENABLE = 0x80000000


class Pin:
    """One pin of a channel."""

    def __init__(self, channel, index):
        self.channel = channel
        self.index = index

    def read(self):
        return (self.channel.read() >> self.index) & 1

    def write(self, value):
        self.channel.write(value << self.index, mask=1 << self.index)

    def on(self):
        self.write(1)

    def off(self):
        self.write(0)

    def toggle(self):
        self.write(self.read() ^ 1)

    async def wait_for_value_async(self, value):
        """Waits, on the channel's interrupt, until this pin reads ``value``."""
        while self.read() != value:
            await self.channel.wait_for_interrupt_async()

    def wait_for_value(self, value):
        asyncio.run(self.wait_for_value_async(value))


class Channel:
    """One channel: its GPIO_DATA and GPIO_TRI registers."""

    def __init__(self, mmio, index, parent=None, length=32):
        self._mmio = mmio
        self._offset = index * CHANNEL_STRIDE
        self._bit = 1 << index
        self._parent = parent
        self.length = length

    def setlength(self, length):
        """Sets how many pins the channel has (PYNQ's ``setlength``)."""
        if not 0 < length <= 32:
            raise ValueError(f"a channel has 1 to 32 pins, not {length}")
        self.length = length

    def __len__(self):
        return self.length

    def read(self):
        return self._mmio.read(self._offset + DATA)

    def write(self, value, mask=0xFFFFFFFF):
        """Sets the bits of ``mask`` to those of ``value``; other outputs keep theirs."""
        self._mmio.batch().modify(self._offset + DATA, mask, value & mask).run()

    @property
    def trimask(self):
        """GPIO_TRI: a 1 bit makes that pin an input."""
        return self._mmio.read(self._offset + TRI)

    @trimask.setter
    def trimask(self, value):
        self._mmio.write(self._offset + TRI, value)

    def setdirection(self, direction):
        """``"in"`` or ``"out"`` (or PYNQ's ``AxiGPIO.Input``/``Output``/``InOut``)
        for every pin of the channel."""
        if direction == "inout":
            return  # each pin keeps its own direction
        if direction not in ("in", "out"):
            raise ValueError(f"direction must be 'in' or 'out', not {direction!r}")
        self.trimask = 0xFFFFFFFF if direction == "in" else 0

    def __getitem__(self, index):
        if not 0 <= index < self.length:
            raise IndexError(f"pin {index} is outside the {self.length} pins of this channel")
        return Pin(self, index)

    async def wait_for_interrupt_async(self):
        """Waits until an input of this channel changes (or changed since the
        last wait); returns the channel's value then."""
        interrupt = self._parent.interrupt if self._parent is not None else None
        if interrupt is None:
            raise PynqRemoteUserError("this AXI GPIO has no interrupt wired in the design "
                                      "(load it through an Overlay whose .hwh wires "
                                      "ip2intc_irpt)")
        status = (self._mmio.batch().write(GIER, GIER_ENABLE)
                  .modify(IP_IER, self._bit, self._bit).read(IP_ISR).run())[-1]
        while not status & self._bit:
            await interrupt.wait()
            status = self._mmio.read(IP_ISR)
        self._mmio.write(IP_ISR, self._bit)   # toggles the set bit: cleared
        return self.read()

    async def wait_for_value_async(self, value):
        """Waits until the channel reads ``value``, on interrupts."""
        while self.read() != value:
            await self.wait_for_interrupt_async()

    def wait_for_value(self, value):
        """``wait_for_value_async`` from code that runs no event loop."""
        asyncio.run(self.wait_for_value_async(value))


class AxiGPIO(DefaultIP):
    """The AXI GPIO: ``channel1``, ``channel2``, or ``gpio[0]``/``gpio[1]``.

    Each channel has 32 pins until ``setlength``, as in PYNQ; ``width(1)`` and
    ``width(2)`` are the design's (``C_GPIO_WIDTH``, ``C_GPIO2_WIDTH``).
    """

    bindto = ["xilinx.com:ip:axi_gpio:2.0"]
    Input, Output, InOut = "in", "out", "inout"
    Channel = Channel

    def __init__(self, description, device=None, design=None):
        super().__init__(description, device, design)
        self.channel1 = Channel(self.mmio, 0, self)
        self.channel2 = Channel(self.mmio, 1, self)

    def width(self, channel=1):
        """The pins the design gives ``channel`` (1 or 2); 32 if the design does not say."""
        name = "C_GPIO_WIDTH" if channel == 1 else "C_GPIO2_WIDTH"
        return int(self.parameters.get(name, self.parameters.get(name.lower(), 32)))

    def setlength(self, length, channel=1):
        self[channel - 1].setlength(length)

    def setdirection(self, direction, channel=1):
        self[channel - 1].setdirection(direction)

    def __getitem__(self, index):
        return (self.channel1, self.channel2)[index]
