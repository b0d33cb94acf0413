"""``RGBLED``: one RGB LED on three bits of an AXI GPIO channel (PYNQ's shape).

    led.write(0x4)   # colour bits: blue 0x1, green 0x2, red 0x4
    led.read()
    led.on(0x7) ; led.off()
"""


class RGBLED:
    """The RGB LED whose blue, green and red bits start at bit ``3 * index``."""

    def __init__(self, channel, index):
        self._channel = channel
        self._shift = 3 * index
        self.index = index

    def write(self, color):
        if not 0 <= color <= 7:
            raise ValueError(f"an RGB LED colour is 0 to 7 (blue 1, green 2, red 4), "
                             f"not {color}")
        self._channel.write(color << self._shift, mask=0x7 << self._shift)

    def read(self):
        return (self._channel.read() >> self._shift) & 0x7

    def on(self, color=0x7):
        self.write(color)

    def off(self):
        self.write(0)
