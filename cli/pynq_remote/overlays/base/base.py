"""``BaseOverlay``: a board's base design with PYNQ's board attributes.

    base = BaseOverlay("base.bit")
    base.leds[0].on()
    base.buttons[1].read()
    await base.buttons[0].wait_for_value_async(1)
    base.switches[0].read()
    base.rgbleds[4].write(0x2)

The attributes come from the design's ``.hwh``, not from addresses written
here: each top-level AXI GPIO is matched by its name (``leds``, ``btns`` or
``buttons``, ``sw`` or ``switches``, ``rgbleds``), and its channel 1 has the
width the design gives it, so another board's base design works the same
way. A board attribute whose GPIO the design lacks is ``None``.

``path`` may name a file that does not exist here (``"base.bit"``, as on a
PYNQ board): then ``PYNQ_REMOTE_BASE_OVERLAY`` names the base design to use.
"""

import os
import re
from pathlib import Path

from ...design.overlay import Overlay
from ...errors import PynqRemoteUserError
from ...lib.rgbled import RGBLED

ENVIRONMENT = "PYNQ_REMOTE_BASE_OVERLAY"
# board attribute -> (pattern of the AXI GPIO's name, direction)
BOARD_GPIOS = {
    "leds": (r"^(?!rgb).*leds?(_gpio)?$", "out"),
    "buttons": (r"^(btns?|buttons?)(_gpio)?$", "in"),
    "switches": (r"^(sws?|switch(es)?)(_gpio)?$", "in"),
}
RGBLEDS = r"^rgb_?leds?(_gpio)?$"


def base_overlay_path(path):
    """``path`` if it exists, else the base design that the environment names."""
    if Path(path).exists():
        return path
    configured = os.environ.get(ENVIRONMENT)
    if configured:
        return configured
    raise PynqRemoteUserError(f"{path}: no such file, and {ENVIRONMENT} names no base "
                              "design; give the path of the board's base.bit")


class BaseOverlay(Overlay):
    """The base design, with ``leds``, ``buttons``, ``switches`` and ``rgbleds``."""

    def __init__(self, path="base.bit", device=None, download=True, **kwargs):
        super().__init__(base_overlay_path(path), device=device, download=download, **kwargs)
        self.leds = self.buttons = self.switches = None
        self.rgbleds = []
        if download or self.is_loaded():
            self._set_up_board()

    def _set_up_board(self):
        for attribute, (pattern, direction) in BOARD_GPIOS.items():
            channel = self._gpio_channel(pattern)
            if channel is not None:
                channel.setdirection(direction)
            setattr(self, attribute, channel)
        channel = self._gpio_channel(RGBLEDS)
        if channel is not None:
            channel.setdirection("out")
            first = len(self.leds) if self.leds is not None else 0
            self.rgbleds = [None] * first + [RGBLED(channel, i)
                                             for i in range(len(channel) // 3)]

    def _gpio_channel(self, pattern):
        for name, entry in self.ip_dict.items():
            if "/" in name or not (entry.get("type") or "").startswith(
                    "xilinx.com:ip:axi_gpio:"):
                continue
            if re.match(pattern, name, re.IGNORECASE):
                gpio = getattr(self, name)
                gpio.channel1.setlength(gpio.width(1))
                return gpio.channel1
        return None
