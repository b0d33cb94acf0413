"""``GPIO``: the board's GPIO lines with ``pynq.GPIO``'s shape.

    from pynq_remote import GPIO
    led = GPIO(GPIO.get_gpio_pin(0, device=dev), "out", device=dev)   # EMIO 0
    led.write(1)
    GPIO("emio1", "in", device=dev).read()

A line is an offset on a GPIO chip (``gpiochip0``), or a line name. PYNQ
numbers lines globally (sysfs base + offset); the character device the board
uses has no global numbers, so here an index is the offset on the chip, by
default the PS GPIO controller's (``zynqmp_gpio`` or ``zynq_gpio``), else the
first chip. ``get_gpio_pin(i)`` gives EMIO pin i's offset as PYNQ's gives its
number.
"""

import dataclasses

from ..devices import default_device
from ..errors import PynqRemoteUserError
from ..v1 import gpio_pb2

# Offset of the first EMIO line on the PS GPIO controllers.
EMIO_BASE = {"zynqmp_gpio": 78, "zynq_gpio": 54}
_DIRECTIONS = {gpio_pb2.GPIO_DIRECTION_INPUT: "in", gpio_pb2.GPIO_DIRECTION_OUTPUT: "out"}


class GpioError(PynqRemoteUserError):
    """A line that does not exist, or an operation its direction forbids."""


@dataclasses.dataclass(frozen=True)
class GpioLine:
    chip: str
    chip_label: str
    offset: int
    name: str
    direction: str      # "in" or "out"
    used: bool
    consumer: str
    chip_lines: int

    @classmethod
    def from_pb2(cls, msg):
        return cls(msg.chip, msg.chip_label, msg.offset, msg.name,
                   _DIRECTIONS.get(msg.direction, "in"), msg.used, msg.consumer, msg.chip_lines)

    def as_pb2(self):
        direction = {v: k for k, v in _DIRECTIONS.items()}[self.direction]
        return gpio_pb2.GpioLine(chip=self.chip, chip_label=self.chip_label, offset=self.offset,
                                 name=self.name, direction=direction, used=self.used,
                                 consumer=self.consumer, chip_lines=self.chip_lines)

    def as_dict(self):
        return dataclasses.asdict(self)


def list_lines(device):
    """Every GPIO line of the board, by chip then offset."""
    response = device.call(device.gpio.ListGpioLines, gpio_pb2.ListGpioLinesRequest())
    return [GpioLine.from_pb2(line) for line in response.lines]


def default_chip(lines):
    """The PS GPIO controller's chip, else the first chip."""
    for line in lines:
        if line.chip_label in EMIO_BASE:
            return line.chip
    if not lines:
        raise GpioError("the board has no GPIO lines")
    return lines[0].chip


def find_line(lines, line, chip=None):
    """The ``GpioLine`` named ``line`` (a name, ``CHIP:OFFSET``, or an offset
    on ``chip``, by default ``default_chip``)."""
    if isinstance(line, str) and ":" in line:
        chip, _, offset = line.partition(":")
        line = int(offset, 0)
    if isinstance(line, str):
        named = [entry for entry in lines if entry.name == line]
        if not named:
            raise GpioError(f"no GPIO line named {line!r}")
        return named[0]
    chip = chip or default_chip(lines)
    for entry in lines:
        if entry.chip == chip and entry.offset == line:
            return entry
    chips = sorted({entry.chip for entry in lines})
    raise GpioError(f"no GPIO line {line} on {chip} (chips: {', '.join(chips) or 'none'})")


def read_line(device, chip, offset):
    request = gpio_pb2.ReadGpioLineRequest(chip=chip, offset=offset)
    return device.call(device.gpio.ReadGpioLine, request).value


def write_line(device, chip, offset, value):
    request = gpio_pb2.WriteGpioLineRequest(chip=chip, offset=offset, value=value)
    device.call(device.gpio.WriteGpioLine, request)


def set_direction(device, chip, offset, direction, value=0):
    """Makes the line an input (``"in"``) or an output driving ``value``."""
    wire = {"in": gpio_pb2.GPIO_DIRECTION_INPUT, "out": gpio_pb2.GPIO_DIRECTION_OUTPUT}
    if direction not in wire:
        raise GpioError(f"direction must be 'in' or 'out', not {direction!r}")
    request = gpio_pb2.SetGpioDirectionRequest(chip=chip, offset=offset,
                                               direction=wire[direction], value=value)
    device.call(device.gpio.SetGpioDirection, request)


def set_simulated_axi_gpio_input(device, window, value, channel=1):
    """sim only: the level the outside world drives on an AXI GPIO channel's inputs."""
    request = gpio_pb2.SetSimulatedInputRequest(axi_gpio=gpio_pb2.SimulatedAxiGpioInput(
        window=window, channel=channel, value=value))
    device.call(device.gpio.SetSimulatedInput, request)


def set_simulated_line_input(device, chip, offset, value):
    """sim only: the level the outside world drives on a GPIO line."""
    request = gpio_pb2.SetSimulatedInputRequest(line=gpio_pb2.SimulatedLineInput(
        chip=chip, offset=offset, value=value))
    device.call(device.gpio.SetSimulatedInput, request)


class GPIO:
    """One GPIO line: ``GPIO(index or name, "in"|"out", device=None, chip=None)``."""

    def __init__(self, gpio_index, direction, device=None, chip=None):
        if direction not in ("in", "out"):
            raise GpioError(f"direction must be 'in' or 'out', not {direction!r}")
        if device is None:
            device = default_device()
        self.device = device
        line = find_line(list_lines(device), gpio_index, chip)
        self.chip, self.offset, self.name = line.chip, line.offset, line.name
        self.index = line.offset
        self._direction = direction
        if direction == "out":
            # Keep the level the line has, so making it an output does not glitch.
            value = read_line(device, self.chip, self.offset)
            set_direction(device, self.chip, self.offset, "out", value)
        else:
            set_direction(device, self.chip, self.offset, "in")

    @property
    def direction(self):
        return self._direction

    def read(self):
        """The line's level, 0 or 1."""
        return read_line(self.device, self.chip, self.offset)

    def write(self, value):
        """Drives an output line to ``value`` (0 or 1)."""
        if self._direction != "out":
            raise GpioError(f"cannot write {self.chip} line {self.offset}: it is an input")
        if value not in (0, 1):
            raise GpioError(f"value must be 0 or 1, not {value!r}")
        write_line(self.device, self.chip, self.offset, value)

    def release(self):
        """Makes the line an input again (PYNQ unexports it)."""
        set_direction(self.device, self.chip, self.offset, "in")

    @staticmethod
    def get_gpio_pin(gpio_user_index, target_label=None, device=None):
        """The offset of EMIO pin ``gpio_user_index`` on the PS GPIO controller."""
        if device is None:
            device = default_device()
        lines = list_lines(device)
        labels = [target_label] if target_label else list(EMIO_BASE)
        for line in lines:
            if line.chip_label in labels:
                base = EMIO_BASE.get(line.chip_label, 0)
                if base + gpio_user_index >= line.chip_lines:
                    raise GpioError(f"EMIO pin {gpio_user_index} is beyond the "
                                    f"{line.chip_lines} lines of {line.chip}")
                return base + gpio_user_index
        raise GpioError("the board has no PS GPIO controller "
                        f"({' or '.join(labels)})")

    @staticmethod
    def get_gpio_npins(target_label=None, device=None):
        """Lines of the PS GPIO controller (or the chip labelled ``target_label``)."""
        if device is None:
            device = default_device()
        labels = [target_label] if target_label else list(EMIO_BASE)
        for line in list_lines(device):
            if line.chip_label in labels:
                return line.chip_lines
        raise GpioError(f"no GPIO chip labelled {' or '.join(labels)}")

    def __repr__(self):
        return f"GPIO({self.chip}:{self.offset}, {self._direction!r})"
