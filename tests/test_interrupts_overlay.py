"""Interrupts through an Overlay: PYNQ-Z2's base design programmed on the sim,
its .hwh's wiring (btns_gpio -> system_interrupts input 13 -> IRQ_F2P, GIC
61) modelled by the server, and the drivers' ``interrupt`` attributes."""

import asyncio

import pytest

import pynq_remote
from pynq_remote import Overlay
from pynq_remote.design.deploy import interrupt_wiring
from pynq_remote.design import load_design
from pynq_remote.board.gpio import set_simulated_axi_gpio_input
from pynq_remote.board.interrupt import watcher_for
from pynq_remote.tools.server import LocalServer
from pynq_remote.v1 import bitstream_pb2
from shared_data import overlay_file

BASE = "pynqz2_base_v2.4/base.bit"


@pytest.fixture(scope="module")
def board():
    with LocalServer() as server, pynq_remote.connect(server.address) as dev:
        yield dev


def test_wiring_sent_with_the_design_is_the_hwh_interrupt_tree():
    wires = interrupt_wiring(load_design(overlay_file(BASE)))
    assert bitstream_pb2.DesignInterrupt(source="btns_gpio", controller="system_interrupts",
                                         index=13) in wires
    assert bitstream_pb2.DesignInterrupt(source="system_interrupts", index=61) in wires
    # Pins of cells that are no window of the address map are left out.
    assert all(w.source != "iop_pmoda/dff_en_reset_vector_0" for w in wires)


def test_button_interrupt_of_the_base_overlay_wakes_the_waiter(board):
    ol = Overlay(overlay_file(BASE), device=board)
    buttons = ol.btns_gpio
    assert buttons.interrupt is buttons.ip2intc_irpt
    assert (buttons.interrupt.line, buttons.interrupt.index) == (61, 13)

    async def run():
        seen = []
        for value in (0x1, 0x3, 0x2, 0x0):
            waiting = asyncio.ensure_future(buttons.channel1.wait_for_interrupt_async())
            await asyncio.sleep(0)
            set_simulated_axi_gpio_input(board, "btns_gpio", value)
            seen.append(await asyncio.wait_for(waiting, 5))
        return seen

    assert asyncio.run(run()) == [0x1, 0x3, 0x2, 0x0]
    watcher = watcher_for(board)
    assert (watcher._counts[61], watcher.lost, watcher.duplicated) == (4, 0, 0)


def test_pin_names_resolve_in_the_last_overlay_loaded(board):
    Overlay(overlay_file(BASE), device=board, download=False).download()
    pin = pynq_remote.Interrupt("switches_gpio/ip2intc_irpt", device=board)
    assert (pin.line, pin.controller, pin.index) == (61, "system_interrupts", 14)
