"""``Interrupt``: PYNQ's awaitable interrupts, streamed from the board.

    ol = Overlay("design.xsa", device=dev)
    await ol.axi_gpio_0.ip2intc_irpt.wait()      # or ol.axi_gpio_0.interrupt
    await Interrupt("axi_gpio_0/ip2intc_irpt").wait()

A pin is found in the design's ``interrupt_pins``; its line is the GIC
interrupt number (``raw_irq``) of the pin itself or of the AXI interrupt
controller it goes through. Each device has ONE ``WatchInterrupts`` stream,
read by a background thread, for every line waited on; events reach the
waiting coroutines through their event loops. As PYNQ does, the host handles
an AXI interrupt controller (PG099) itself: it enables a pin (SIE) while
someone waits on it, and on an event reads IPR, disables (CIE) and
acknowledges (IAR) what fired, wakes those waiters, then lets the server
unmask the line. A level-sensitive pin is acknowledged again when re-enabled,
after its source was cleared, so a stale latch does not wake anyone twice;
an interrupt still pending then fires at once, so none is lost between two
waits. A pin wired straight to the PS is unmasked when the next wait starts.
If the stream breaks, every waiter gets ``InterruptStreamLost``.
"""

import asyncio
import logging
import threading
import weakref

import grpc

from ..devices import default_device
from ..errors import ConnectionFailed, PynqRemoteError, PynqRemoteUserError, from_rpc_error
from ..v1 import interrupt_pb2
from .mmio import MMIO

log = logging.getLogger(__name__)

# AXI INTC registers (PG099).
ISR, IPR, IER, IAR, SIE, CIE, IVR, MER = (0x00, 0x04, 0x08, 0x0C, 0x10, 0x14, 0x18,
                                          0x1C)
MER_ME_HIE = 0x3

_designs = weakref.WeakKeyDictionary()   # Device -> the design last loaded on it
_watchers = weakref.WeakKeyDictionary()  # Device -> its _Watcher
_watchers_lock = threading.Lock()


class InterruptStreamLost(ConnectionFailed):
    """The board's interrupt stream broke while someone waited."""


class UnknownInterrupt(PynqRemoteUserError, KeyError):
    """A pin or controller that the design does not have."""

    def __str__(self):
        return self.msg


def set_active_design(device, design):
    """Makes ``design`` (anything with ``ip_dict``, ``interrupt_pins`` and
    ``interrupt_controllers``, e.g. an ``Overlay``) the one ``Interrupt``
    resolves pins in for ``device``; ``Overlay`` calls it."""
    _designs[device] = design


def watcher_for(device):
    """The device's one interrupt stream, made on first use, and again after
    one broke (the waiters of the broken one got its error)."""
    with _watchers_lock:
        watcher = _watchers.get(device)
        if watcher is None or watcher.closed or watcher.error is not None:
            if watcher is None:
                device.on_close(lambda: close_watcher(device))
            watcher = _watchers[device] = _Watcher(device)
        return watcher


def close_watcher(device):
    """Ends the device's interrupt stream, if it has one."""
    with _watchers_lock:
        watcher = _watchers.pop(device, None)
    if watcher is not None:
        watcher.close()


def _resolve(future, value):
    if not future.done():
        future.set_result(value)


def _fail(future, error):
    if not future.done():
        future.set_exception(error)


def _wake(waiters, event):
    for loop, future in waiters:
        try:
            loop.call_soon_threadsafe(_resolve, future, event)
        except RuntimeError:
            pass  # that loop is closed: nobody waits there any more


def _wake_with_error(waiters, error):
    for loop, future in waiters:
        try:
            loop.call_soon_threadsafe(_fail, future, error)
        except RuntimeError:
            pass


class _Watcher:
    """One WatchInterrupts stream of a device and the handler of each line."""

    def __init__(self, device):
        self.device = device
        self.closed = False
        self.error = None
        self._lock = threading.Lock()
        self._handlers = {}     # line -> _IntcLine or _DirectLine
        self._lines = ()
        self._call = None
        self._subscription_id = None
        self._generation = 0
        self._counts = {}       # line -> count of the last event
        self.lost = 0           # events the stream skipped (count gaps)
        self.duplicated = 0     # events seen twice

    def handler(self, line, make):
        """The handler of ``line``, made by ``make()`` and subscribed on first use."""
        with self._lock:
            if self.error is not None:
                raise self.error
            handler = self._handlers.get(line)
            if handler is None:
                handler = self._handlers[line] = make()
            if line not in self._lines:
                self._subscribe_locked(tuple(sorted({*self._lines, line})))
            return handler

    def _subscribe_locked(self, lines):
        """(Re)starts the stream with ``lines``; returns once they are armed."""
        if self._call is not None:
            self._generation += 1
            self._call.cancel()
        request = interrupt_pb2.WatchInterruptsRequest(
            session_id=self.device.session.id, lines=lines)
        call = self.device.interrupts.WatchInterrupts(request)
        try:
            first = next(call)
        except grpc.RpcError as error:
            raise from_rpc_error(error, self.device.address) from None
        self._call, self._lines = call, lines
        self._subscription_id = first.started.subscription_id
        self._counts = {line: 0 for line in lines}
        thread = threading.Thread(target=self._read, args=(call, self._generation),
                                  name="pynq-remote-interrupts", daemon=True)
        thread.start()

    def _read(self, call, generation):
        try:
            for message in call:
                if message.HasField("event"):
                    self._dispatch(message.event)
            error = InterruptStreamLost(
                f"the interrupt stream from {self.device.address} ended")
        except grpc.RpcError as rpc_error:
            if rpc_error.code() == grpc.StatusCode.CANCELLED:
                error = InterruptStreamLost(
                    f"the interrupt stream from {self.device.address} was cancelled")
            else:
                error = InterruptStreamLost(
                    f"lost the interrupt stream from {self.device.address}: "
                    f"{rpc_error.code().name}: {rpc_error.details()}")
        with self._lock:
            if generation != self._generation or self.closed:
                return  # replaced or closed on purpose
            self.error = error
            handlers = list(self._handlers.values())
        for handler in handlers:
            handler.fail(error)

    def _dispatch(self, event):
        expected = self._counts.get(event.line, 0) + 1
        if event.count > expected:
            self.lost += event.count - expected
        elif event.count < expected:
            self.duplicated += 1
        self._counts[event.line] = max(event.count, self._counts.get(event.line, 0))
        handler = self._handlers.get(event.line)
        if handler is not None:
            handler.on_event(event)
        else:
            self.acknowledge(event.line)

    def acknowledge(self, line):
        """Lets the server unmask ``line`` (its source has been dealt with)."""
        request = interrupt_pb2.AcknowledgeInterruptRequest(
            session_id=self.device.session.id, subscription_id=self._subscription_id,
            line=line)
        try:
            self.device.call(self.device.interrupts.AcknowledgeInterrupt, request)
        except PynqRemoteError as error:
            # The stream breaks too (and tells the waiters), or was replaced.
            log.debug("acknowledging line %d failed: %s", line, error.msg)

    def close(self):
        with self._lock:
            self.closed = True
            call, self._call = self._call, None
        if call is not None:
            call.cancel()
        error = InterruptStreamLost(f"the interrupts of {self.device.address} were closed")
        for handler in list(self._handlers.values()):
            handler.fail(error)


class _DirectLine:
    """A pin wired straight to the PS: its waiters, unmasked at the next wait."""

    def __init__(self, watcher, line):
        self.watcher = watcher
        self.line = line
        self._lock = threading.Lock()
        self._waiters = []
        self._owes_ack = False

    def add_waiter(self, _index, loop, future):
        with self._lock:
            self._waiters.append((loop, future))
            owes, self._owes_ack = self._owes_ack, False
        if owes:
            self.watcher.acknowledge(self.line)

    def remove_waiter(self, _index, future):
        with self._lock:
            self._waiters = [w for w in self._waiters if w[1] is not future]

    def on_event(self, event):
        with self._lock:
            waiters, self._waiters = self._waiters, []
            self._owes_ack = True
        _wake(waiters, event)

    def fail(self, error):
        with self._lock:
            waiters, self._waiters = self._waiters, []
        _wake_with_error(waiters, error)


class _IntcLine:
    """An AXI interrupt controller on a PS line: its pins' waiters."""

    def __init__(self, watcher, line, mmio, edge_bits):
        self.watcher = watcher
        self.line = line
        self.mmio = mmio
        self.edge_bits = edge_bits
        self._lock = threading.Lock()
        self._waiters = {}      # pin index -> [(loop, future)]
        self._started = False

    def add_waiter(self, index, loop, future):
        bit = 1 << index
        with self._lock:
            waiters = self._waiters.setdefault(index, [])
            waiters.append((loop, future))
            if len(waiters) > 1:
                return          # enabled already
            batch = self.mmio.batch()
            if not self._started:
                batch.write(MER, MER_ME_HIE)
                self._started = True
            if not bit & self.edge_bits:
                batch.write(IAR, bit)   # a stale latch of a level pin
            batch.write(SIE, bit).run()

    def remove_waiter(self, index, future):
        with self._lock:
            waiters = [w for w in self._waiters.get(index, []) if w[1] is not future]
            if waiters:
                self._waiters[index] = waiters
                return
            self._waiters.pop(index, None)
            self.mmio.write(CIE, 1 << index)

    def on_event(self, event):
        with self._lock:
            work = self.mmio.read(IPR)
            if work:
                self.mmio.batch().write(CIE, work).write(IAR, work).run()
            woken = []
            for index in [i for i in self._waiters if work >> i & 1]:
                woken += self._waiters.pop(index)
        _wake(woken, event)
        self.watcher.acknowledge(self.line)

    def fail(self, error):
        with self._lock:
            waiters = [w for ws in self._waiters.values() for w in ws]
            self._waiters = {}
        _wake_with_error(waiters, error)


def _int_parameter(text, default):
    try:
        return int(text, 0) if isinstance(text, str) else int(text)
    except (TypeError, ValueError):
        return default


class Interrupt:
    """An interrupt pin of the design, e.g. ``"axi_gpio_0/ip2intc_irpt"``.

    ``design`` is anything with PYNQ's ``ip_dict``, ``interrupt_pins`` and
    ``interrupt_controllers`` (an ``Overlay``); by default the design last
    loaded on ``device`` in this process. Nothing is sent before ``wait()``.
    """

    def __init__(self, pinname, device=None, design=None):
        if design is None:
            design = _designs.get(device) if device is not None else None
            if design is None and _designs:
                design = next(reversed(list(_designs.values())))
        if design is None:
            raise UnknownInterrupt(f"no design is loaded to find interrupt {pinname!r} in; "
                                   "load an Overlay first or pass design=")
        if device is None:
            device = getattr(design, "device", None)
        if device is None:
            device = default_device()
        self.device = device
        self.pinname = pinname
        pins = design.interrupt_pins
        if pinname not in pins:
            raise UnknownInterrupt(f"no interrupt pin {pinname!r} in the design; pins: "
                                   f"{', '.join(sorted(pins)) or '(none)'}")
        pin = pins[pinname]
        self.controller = pin["controller"]
        self.index = pin["index"]
        if self.controller == "":
            self.line = pin["raw_irq"]
            self._make = lambda watcher: _DirectLine(watcher, self.line)
            return
        controllers = design.interrupt_controllers
        parent = controllers.get(self.controller)
        if parent is None or self.controller not in design.ip_dict:
            raise UnknownInterrupt(f"interrupt controller {self.controller!r} of {pinname!r} "
                                   "is not in the design")
        if parent.get("parent", "") != "" or "raw_irq" not in parent:
            raise PynqRemoteUserError(f"{self.controller} is cascaded into another "
                                      "interrupt controller, which pynq_remote does not "
                                      "support")
        self.line = parent["raw_irq"]
        ip = design.ip_dict[self.controller]
        edge_bits = _int_parameter(ip.get("parameters", {}).get("C_KIND_OF_INTR"), 0)

        def make(watcher):
            return _IntcLine(watcher, self.line,
                             MMIO(ip["phys_addr"], ip["addr_range"], device=device), edge_bits)
        self._make = make

    def _root(self):
        watcher = watcher_for(self.device)
        return watcher.handler(self.line, lambda: self._make(watcher))

    async def wait(self):
        """Waits for the interrupt; returns the server's event (line, count, time)."""
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        root = self._root()
        root.add_waiter(self.index, loop, future)
        try:
            return await future
        except asyncio.CancelledError:
            root.remove_waiter(self.index, future)
            raise

    def __repr__(self):
        return f"Interrupt({self.pinname!r}, line {self.line})"


def list_subscriptions(device):
    """The board's interrupt lines, subscriptions and open lines (the raw response)."""
    return device.call(device.interrupts.ListInterruptSubscriptions,
                       interrupt_pb2.ListInterruptSubscriptionsRequest())


def watch(device, lines, auto_acknowledge=True):
    """Yields the board's ``InterruptEvent`` messages for ``lines`` as they come
    (``pynq-remote irq watch``); ``auto_acknowledge`` lets the server unmask
    each line once the event is sent."""
    request = interrupt_pb2.WatchInterruptsRequest(
        session_id=device.session.id, lines=lines, auto_acknowledge=auto_acknowledge)
    for message in device.stream(device.interrupts.WatchInterrupts, request, timeout=None):
        if message.HasField("event"):
            yield message.event
