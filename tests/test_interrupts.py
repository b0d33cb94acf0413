"""Interrupts end to end: the sim's AXI GPIO (PG144) raises its interrupt
through the AXI INTC model (PG099) to GIC line 121, streamed to the host,
where Interrupt and AxiGPIO wait on it with asyncio."""

import asyncio
import statistics
import threading
import time

import pytest

import pynq_remote
from pynq_remote import Interrupt
from pynq_remote.drivers import AxiGPIO
from pynq_remote.board.gpio import set_simulated_axi_gpio_input
from pynq_remote.board.interrupt import InterruptStreamLost, list_subscriptions, watcher_for
from pynq_remote.tools.server import LocalServer
from sim_interrupt_design import AXI_GPIO_0, AXI_GPIO_1, LINE, sim_design

EVENTS = 1000


@pytest.fixture(scope="module")
def server():
    """A server of its own: the tests leave interrupt state behind."""
    with LocalServer() as local:
        yield local


@pytest.fixture
def board(server):
    with pynq_remote.connect(server.address) as dev:
        yield dev


def wait_until(condition, timeout=5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


async def toggle_and_wait(board, channel, window, value, channel_number):
    """Starts a wait, changes the input, returns (value seen, seconds)."""
    waiting = asyncio.ensure_future(channel.wait_for_interrupt_async())
    await asyncio.sleep(0)          # the wait is armed: it awaits the event
    start = time.perf_counter()
    set_simulated_axi_gpio_input(board, window, value, channel=channel_number)
    seen = await asyncio.wait_for(waiting, 5)
    return seen, time.perf_counter() - start


def test_1000_axi_gpio_interrupts_arrive_once_each(board):
    gpio = AxiGPIO(AXI_GPIO_0, device=board, design=sim_design())
    buttons = gpio.channel2

    async def run():
        latencies = []
        for i in range(EVENTS):
            value = (i + 1) & 0xF
            seen, seconds = await toggle_and_wait(board, buttons, "axi_gpio_0", value, 2)
            assert seen == value
            latencies.append(seconds)
        # Nothing else is pending: no duplicate is waiting to be delivered.
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(buttons.wait_for_interrupt_async(), 0.3)
        return latencies

    latencies = asyncio.run(run())
    watcher = watcher_for(board)
    assert (watcher.lost, watcher.duplicated) == (0, 0)
    assert watcher._counts[LINE] == EVENTS
    median = statistics.median(latencies) * 1e3
    p99 = sorted(latencies)[int(0.99 * len(latencies)) - 1] * 1e3
    print(f"\n{EVENTS} interrupts: host-observed latency median {median:.2f} ms, "
          f"p99 {p99:.2f} ms")


def test_interrupt_by_pin_name_and_a_change_between_waits_is_not_lost(board):
    design = sim_design()
    gpio = AxiGPIO(AXI_GPIO_1, device=board, design=design)
    assert gpio.interrupt is gpio.ip2intc_irpt
    assert gpio.interrupt.line == LINE

    async def run():
        # A change while nobody waits is latched in IP_ISR: the next wait returns at once.
        set_simulated_axi_gpio_input(board, "axi_gpio_1", 0x01)
        assert await asyncio.wait_for(gpio.channel1.wait_for_interrupt_async(), 2) & 0x1
        # Two coroutines waiting on the same pin both wake.
        pin = Interrupt("axi_gpio_1/ip2intc_irpt", device=board, design=design)
        gpio.write(0x128, 0x1)
        gpio.write(0x11C, 0x80000000)
        first = asyncio.ensure_future(pin.wait())
        second = asyncio.ensure_future(pin.wait())
        await asyncio.sleep(0)
        set_simulated_axi_gpio_input(board, "axi_gpio_1", 0x03)
        events = await asyncio.wait_for(asyncio.gather(first, second), 2)
        assert events[0].line == LINE and events[0] is events[1]
        gpio.write(0x120, gpio.read(0x120) & 0x1)

    asyncio.run(run())


def test_wait_for_value(board):
    gpio = AxiGPIO(AXI_GPIO_0, device=board, design=sim_design())

    async def run():
        waiting = asyncio.ensure_future(gpio.channel2.wait_for_value_async(0x9))
        await asyncio.sleep(0)
        for value in (0x1, 0x8, 0x9):
            set_simulated_axi_gpio_input(board, "axi_gpio_0", value, channel=2)
            await asyncio.sleep(0.01)
        await asyncio.wait_for(waiting, 2)

    asyncio.run(run())


def test_axi_gpio_without_interrupt_says_so(board):
    gpio = AxiGPIO({"phys_addr": 0xA0000000, "addr_range": 0x10000}, device=board)
    with pytest.raises(pynq_remote.PynqRemoteUserError, match="no interrupt wired"):
        asyncio.run(gpio.channel2.wait_for_interrupt_async())


def test_unknown_pin_names_the_pins(board):
    with pytest.raises(KeyError, match="axi_gpio_0/ip2intc_irpt"):
        Interrupt("nothing/irq", device=board, design=sim_design())


def test_server_lists_subscriptions_and_closing_the_device_ends_them(server):
    dev = pynq_remote.connect(server.address)
    pin = Interrupt("axi_gpio_0/ip2intc_irpt", device=dev, design=sim_design())

    async def subscribe():
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(pin.wait(), 0.05)

    asyncio.run(subscribe())
    status = list_subscriptions(dev)
    assert LINE in status.available_lines
    assert [list(s.lines) for s in status.subscriptions] == [[LINE]]
    assert status.open_lines == 1
    dev.close()
    with pynq_remote.connect(server.address) as other:
        assert wait_until(lambda: not list_subscriptions(other).subscriptions)
        assert list_subscriptions(other).open_lines == 0


def test_a_stopped_server_raises_in_the_waiting_coroutine():
    with LocalServer() as local, pynq_remote.connect(local.address) as dev:
        pin = Interrupt("axi_gpio_0/ip2intc_irpt", device=dev, design=sim_design())

        async def run():
            waiting = asyncio.ensure_future(pin.wait())
            await asyncio.sleep(0.05)
            local.stop()
            with pytest.raises(InterruptStreamLost, match="lost the interrupt stream"):
                await asyncio.wait_for(waiting, 10)

        asyncio.run(run())


CLIENT = """
import asyncio, sys
sys.path.insert(0, {tests!r})
import pynq_remote
from pynq_remote import Interrupt
from sim_interrupt_design import sim_design
dev = pynq_remote.connect({address!r})
pin = Interrupt("axi_gpio_0/ip2intc_irpt", device=dev, design=sim_design())

async def main():
    waiting = asyncio.ensure_future(pin.wait())
    await asyncio.sleep(0.05)
    print("waiting", flush=True)
    await waiting

asyncio.run(main())
"""


def test_a_client_killed_while_waiting_leaves_no_subscription_or_reader(server, board):
    import pathlib
    import signal
    import subprocess
    import sys

    tests = str(pathlib.Path(__file__).parent)
    child = subprocess.Popen([sys.executable, "-c", CLIENT.format(tests=tests,
                                                                  address=server.address)],
                             stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "waiting"
        status = list_subscriptions(board)
        assert len(status.subscriptions) == 1 and status.open_lines == 1
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
        child.stdout.close()
    assert wait_until(lambda: not list_subscriptions(board).subscriptions, timeout=5)
    status = list_subscriptions(board)
    assert (status.open_lines, status.reader_threads) == (0, 0)


def test_two_sessions_on_one_line_both_get_each_event(server, board):
    """A program waiting on the line and `irq watch` beside it (another
    session, acknowledging automatically): both see every event."""
    from pynq_remote.board.interrupt import watch

    watched = []
    with pynq_remote.connect(server.address) as other:
        def watch_three():
            for event in watch(other, [LINE]):
                watched.append(event.count)
                if len(watched) == 3:
                    return

        watcher_thread = threading.Thread(target=watch_three)
        watcher_thread.start()
        assert wait_until(lambda: any(s.auto_acknowledge
                                      for s in list_subscriptions(board).subscriptions))
        gpio = AxiGPIO(AXI_GPIO_0, device=board, design=sim_design())

        async def run():
            for value in (0x1, 0x0, 0x1):
                seen, _ = await toggle_and_wait(board, gpio.channel2, "axi_gpio_0", value, 2)
                assert seen == value

        asyncio.run(run())
        watcher_thread.join(5)
        assert watched == [1, 2, 3]
