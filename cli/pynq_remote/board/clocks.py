"""PL clocks, set by the board's server, with PYNQ's ``Clocks`` shape.

    Clocks.fclk0_mhz = 125              # on the default device, as in PYNQ
    Clocks(device=dev).fclk1_mhz        # on a given device
    Clocks.set_pl_clk(2, div0=5, div1=2)

The server owns the PS clock controller; its registers are not on the MMIO
allow-list. A board without one raises ``FailedPrecondition``.
"""

import dataclasses
import warnings

from ..devices import default_device
from ..errors import PynqRemoteUserError
from ..v1 import clock_pb2

DEFAULT_PL_CLK_MHZ = 100.0
PL_CLOCK_COUNT = 4


@dataclasses.dataclass(frozen=True)
class PlClock:
    index: int
    enabled: bool
    source: str
    source_mhz: float
    divisor0: int
    divisor1: int
    frequency_mhz: float

    @classmethod
    def from_pb2(cls, msg):
        return cls(msg.index, msg.enabled, msg.source, msg.source_mhz, msg.divisor0,
                   msg.divisor1, msg.frequency_mhz)


def get_clocks(device):
    """The CPU clock in MHz and the four ``PlClock``s."""
    response = device.call(device.clocks.GetClocks, clock_pb2.GetClocksRequest())
    return response.cpu_mhz, [PlClock.from_pb2(clock) for clock in response.pl_clocks]


def set_pl_clock(device, index, frequency_mhz=DEFAULT_PL_CLK_MHZ, divisor0=None,
                 divisor1=None):
    """Enables PL clock ``index`` from the I/O PLL; returns it as set.

    With both divisors they are used as given; otherwise the server picks the
    pair nearest ``frequency_mhz`` and, as PYNQ does, a result more than 1 %
    off is a warning.
    """
    if (divisor0 is None) != (divisor1 is None):
        raise PynqRemoteUserError("give both PL clock divisors or neither")
    request = clock_pb2.SetPlClockRequest(index=index, frequency_mhz=frequency_mhz,
                                          divisor0=divisor0 or 0, divisor1=divisor1 or 0)
    clock = PlClock.from_pb2(device.call(device.clocks.SetPlClock, request).clock)
    if divisor0 is None and abs(clock.frequency_mhz - frequency_mhz) > 0.01 * frequency_mhz:
        warnings.warn(f"PL clock {index}: {frequency_mhz} MHz is not reachable; "
                      f"set to the closest, {clock.frequency_mhz} MHz", stacklevel=2)
    return clock


def apply_clock_dict(device, clock_dict):
    """Sets the divisors of each enabled clock of a design's ``clock_dict``.

    Clocks the design leaves disabled are left as they are.
    """
    return [set_pl_clock(device, index, divisor0=clock["divisor0"],
                         divisor1=clock["divisor1"])
            for index, clock in sorted(clock_dict.items()) if clock["enable"]]


def _frequency_property(index, clocks_of):
    """``fclkN_mhz``; ``clocks_of(owner)`` gives the ``Clocks`` to act on."""
    return property(lambda owner: clocks_of(owner).get_pl_clk(index),
                    lambda owner, mhz: clocks_of(owner).set_pl_clk(index, clk_mhz=mhz),
                    doc=f"PL clock {index} in MHz.")


class _OnDefaultDevice(type):
    """Makes ``Clocks.fclk0_mhz`` work on the class itself, as in PYNQ."""

    cpu_mhz = property(lambda cls: cls().cpu_mhz)

    def set_pl_clk(cls, clk_idx, div0=None, div1=None, clk_mhz=DEFAULT_PL_CLK_MHZ):
        return cls().set_pl_clk(clk_idx, div0, div1, clk_mhz)

    def get_pl_clk(cls, clk_idx):
        return cls().get_pl_clk(clk_idx)


class Clocks(metaclass=_OnDefaultDevice):
    """The CPU clock and PL clocks ``fclk0_mhz`` to ``fclk3_mhz`` of a board."""

    def __init__(self, device=None):
        self.device = device if device is not None else default_device()

    @property
    def cpu_mhz(self):
        return get_clocks(self.device)[0]

    def get_pl_clk(self, clk_idx):
        return get_clocks(self.device)[1][clk_idx].frequency_mhz

    def set_pl_clk(self, clk_idx, div0=None, div1=None, clk_mhz=DEFAULT_PL_CLK_MHZ):
        return set_pl_clock(self.device, clk_idx, clk_mhz, div0, div1)


for _index in range(PL_CLOCK_COUNT):
    setattr(Clocks, f"fclk{_index}_mhz", _frequency_property(_index, lambda clocks: clocks))
    setattr(_OnDefaultDevice, f"fclk{_index}_mhz", _frequency_property(_index, lambda cls: cls()))
