"""labgrid integration: a board running pynq-remote-server as a labgrid target.

Load it from an environment file with ``imports: [pynq_remote.labgrid]``:

- resource ``PynqRemoteDevice``: where the server is (``address``) and,
  optionally, the credential files of its channel;
- driver ``PynqRemoteDriver``: connects on activation and offers
  ``program``, ``mmio_read``/``mmio_write`` and buffer calls;
- strategy ``PynqRemoteStrategy``: ``off`` -> ``on`` -> ``ready``: powers
  the board with any bound ``PowerProtocol`` driver, waits for its server to
  answer health checks, then activates ``PynqRemoteDriver``.

Needs the ``labgrid`` extra (``pip install pynq-remote[labgrid]``).
"""

import enum
import time
from typing import Optional

import attrs
import numpy as np
from labgrid.driver import Driver
from labgrid.factory import target_factory
from labgrid.resource import Resource
from labgrid.step import step
from labgrid.strategy import Strategy, StrategyError, never_retry

from ..board.buffer import allocate
from ..board.mmio import MMIO
from ..connection.addresses import parse_address
from ..connection.credentials import Credentials, read_file
from ..connection.device import Device
from ..design.overlay import Overlay
from ..devices import connect
from ..errors import ConnectionFailed, PynqRemoteError, PynqRemoteUserError

_optional_str = attrs.validators.optional(attrs.validators.instance_of(str))


def _valid_address(instance, attribute, value):
    try:
        parse_address(value)
    except PynqRemoteUserError as error:
        raise ValueError(f"{attribute.name}: {error.msg}") from None


@target_factory.reg_resource
@attrs.define(eq=False)
class PynqRemoteDevice(Resource):
    """A board's pynq-remote-server at ``address`` (``host[:port]``).

    Without ``ca``, ``cert``, ``key`` and ``token_file``, the channel's
    credentials come from the config file and environment, as for
    ``pynq_remote.connect``; with ``ca``, the channel is TLS.
    """

    address: str = attrs.field(validator=[attrs.validators.instance_of(str),
                                          _valid_address])
    ca: Optional[str] = attrs.field(default=None, validator=_optional_str)
    cert: Optional[str] = attrs.field(default=None, validator=_optional_str)
    key: Optional[str] = attrs.field(default=None, validator=_optional_str)
    token_file: Optional[str] = attrs.field(default=None, validator=_optional_str)

    def credentials(self):
        """The channel's ``Credentials``, or None for the usual places."""
        if not any((self.ca, self.cert, self.key, self.token_file)):
            return None
        if (self.cert or self.key) and not self.ca:
            raise PynqRemoteUserError(f"{self.address}: a client cert and key need the ca")
        token = read_file(self.token_file, "token file").decode().strip() if self.token_file else None
        files = {name: read_file(getattr(self, name), f"TLS {name}") if getattr(self, name) else None
                 for name in ("ca", "cert", "key")}
        return Credentials(tls=bool(self.ca), token=token, **files)


@target_factory.reg_driver
@attrs.define(eq=False)
class PynqRemoteDriver(Driver):
    """The board's pynq-remote API: activation connects, deactivation closes.

    ``device`` is the connected ``pynq_remote.Device`` for anything else.
    """

    bindings = {"board": "PynqRemoteDevice"}
    lease: float = attrs.field(default=10.0, converter=float)

    def __attrs_post_init__(self):
        super().__attrs_post_init__()
        self.device = None

    def on_activate(self):
        device = connect(self.board.address, self.lease, self.board.credentials())
        try:
            device.info()
        except PynqRemoteError:
            device.close()
            raise
        self.device = device

    def on_deactivate(self):
        self.device.close()
        self.device = None

    @Driver.check_active
    @step(result=True)
    def info(self):
        """The board's ``DeviceInfo``."""
        return self.device.info()

    @Driver.check_active
    @step(args=["bitfile"])
    def program(self, bitfile, **options):
        """Deploys a ``.bit`` (``.hwh`` beside it) or ``.xsa``; returns the ``Overlay``."""
        return Overlay(bitfile, device=self.device, **options)

    @Driver.check_active
    @step(args=["address", "width"], result=True)
    def mmio_read(self, address, width=4):
        """Reads one value of ``width`` bytes at physical ``address``."""
        return MMIO(address, width, device=self.device).read(0, width)

    @Driver.check_active
    @step(args=["address", "value", "width"])
    def mmio_write(self, address, value, width=4):
        """Writes ``value`` (``width`` bytes) at physical ``address``."""
        MMIO(address, width, device=self.device).write(0, value, width)

    @Driver.check_active
    @step(args=["shape", "dtype"])
    def buffer_allocate(self, shape, dtype="u4", cacheable=False):
        """A DMA buffer on the board: a ``pynq_remote.Buffer`` (numpy array)."""
        return allocate(shape, dtype, device=self.device, cacheable=cacheable)

    @Driver.check_active
    @step()
    def buffer_write(self, buffer, data):
        """Copies ``data`` into ``buffer`` and sends it to the board."""
        buffer[...] = data
        buffer.sync_to_device()

    @Driver.check_active
    @step()
    def buffer_read(self, buffer):
        """Fetches ``buffer`` from the board; returns a copy of its contents."""
        buffer.sync_from_device()
        return np.array(buffer)

    @Driver.check_active
    @step()
    def buffer_free(self, buffer):
        """Frees the board memory of ``buffer``."""
        buffer.freebuffer()


def wait_until_serving(board, timeout, interval=0.2):
    """Waits until ``board``'s server answers a health check; returns the seconds waited."""
    start = time.monotonic()
    while True:
        try:
            with Device(board.address, credentials=board.credentials()) as device:
                device.ping()
            return time.monotonic() - start
        except ConnectionFailed as error:
            if time.monotonic() - start >= timeout:
                raise ConnectionFailed(f"{board.address} did not answer within {timeout:g} s "
                                       f"of power on: {error.msg}") from None
        time.sleep(interval)


class Status(enum.Enum):
    unknown = 0
    off = 1
    on = 2
    ready = 3


@target_factory.reg_driver
@attrs.define(eq=False)
class PynqRemoteStrategy(Strategy):
    """off: power off; on: powered (booting); ready: the server answers and
    ``PynqRemoteDriver`` is active. ``boot_timeout`` bounds the wait for it."""

    bindings = {"power": "PowerProtocol", "pynq": "PynqRemoteDriver"}
    boot_timeout: float = attrs.field(default=120.0, converter=float)
    status: Status = attrs.field(default=Status.unknown)

    @never_retry
    @step(args=["status"])
    def transition(self, status, *, step):  # pylint: disable=redefined-outer-name
        status = self._status(status)
        if status == self.status:
            step.skip("nothing to do")
            return
        if status == Status.off:
            self.target.deactivate(self.pynq)
            self.target.activate(self.power)
            self.power.off()
        elif status == Status.on:
            self.transition(Status.off)
            self.power.on()
        elif status == Status.ready:
            self.transition(Status.on)
            wait_until_serving(self.pynq.board, self.boot_timeout)
            self.target.activate(self.pynq)
        self.status = status

    @never_retry
    @step(args=["status"])
    def force(self, status):
        """Takes the board as being in ``status`` already, activating its drivers."""
        status = self._status(status)
        self.target.activate(self.power)
        if status == Status.ready:
            self.target.activate(self.pynq)
        else:
            self.target.deactivate(self.pynq)
        self.status = status

    @staticmethod
    def _status(status):
        if not isinstance(status, Status):
            try:
                status = Status[status]
            except KeyError:
                raise StrategyError(f"unknown state {status!r}: use off, on or ready") from None
        if status == Status.unknown:
            raise StrategyError("cannot go to state unknown")
        return status
