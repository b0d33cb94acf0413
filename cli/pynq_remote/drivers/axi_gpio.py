"""``AxiGPIO``: the AXI GPIO (PG144) with PYNQ's channel shape.

    gpio = ol.axi_gpio_0
    gpio.channel1.setdirection("out")
    gpio.channel1.write(0x5, mask=0xF)   # one read-modify-write on the board
    gpio.channel2.read()
    gpio[0][2].toggle()                  # pin 2 of channel 1
"""

from .default_ip import DefaultIP

DATA, TRI = 0x0, 0x4
CHANNEL_STRIDE = 0x8


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


class Channel:
    """One channel: its GPIO_DATA and GPIO_TRI registers."""

    def __init__(self, mmio, index):
        self._mmio = mmio
        self._offset = index * CHANNEL_STRIDE

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
        """``"in"`` or ``"out"`` for every pin of the channel."""
        if direction not in ("in", "out"):
            raise ValueError(f"direction must be 'in' or 'out', not {direction!r}")
        self.trimask = 0xFFFFFFFF if direction == "in" else 0

    def __getitem__(self, index):
        if not 0 <= index < 32:
            raise IndexError(f"pin {index} is outside the 32 pins of a channel")
        return Pin(self, index)


class AxiGPIO(DefaultIP):
    """The AXI GPIO: ``channel1``, ``channel2``, or ``gpio[0]``/``gpio[1]``."""

    bindto = ["xilinx.com:ip:axi_gpio:2.0"]

    def __init__(self, description, device=None):
        super().__init__(description, device)
        self.channel1 = Channel(self.mmio, 0)
        self.channel2 = Channel(self.mmio, 1)

    def __getitem__(self, index):
        return (self.channel1, self.channel2)[index]
