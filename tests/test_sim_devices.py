"""The sim's device models follow the deployed design: PYNQ-Z2's base overlay
programmed on the real server (sim board), its AXI GPIOs configured from the
.hwh's C_* parameters, and inputs a test or the CLI sets."""

import json

import pytest

import pynq_remote
from cli_runner import run_cli
from pynq_remote import MMIO, InvalidArgument
from pynq_remote.board.gpio import set_simulated_axi_gpio_input
from pynq_remote.design import load_design
from pynq_remote.design.deploy import address_map, deploy, model_parameters
from pynq_remote.errors import NotFound
from pynq_remote.tools.server import LocalServer
from pynq_remote.v1 import bitstream_pb2
from shared_data import overlay_file

BASE = "pynqz2_base_v2.4/base.bit"
# Addresses from base.hwh.
SWITCHES, BUTTONS, RGBLEDS, LEDS = 0x41200000, 0x41210000, 0x41240000, 0x41250000
HDMI_IN_GPIO = 0x41220000  # dual: channel 1 all outputs, channel 2 all inputs
DATA, TRI, DATA2, TRI2, GIER, ISR, IER = 0x0, 0x4, 0x8, 0xC, 0x11C, 0x120, 0x128


@pytest.fixture(scope="module")
def server():
    with LocalServer() as server:
        yield server


@pytest.fixture(scope="module")
def base_design():
    return load_design(overlay_file(BASE))  # parsing its 4 MB .hwh takes seconds


@pytest.fixture(scope="module")
def board(server, base_design):
    with pynq_remote.connect(server.address) as dev:
        deploy(dev, base_design)
        yield dev


def gpio(board, base):
    return MMIO(base, 0x10000, device=board)


def test_deploy_sends_the_gpio_parameters_of_the_hwh(base_design):
    windows = {w.name: w for w in address_map(base_design)}
    assert dict(windows["leds_gpio"].parameters) == {
        "C_GPIO_WIDTH": "4", "C_GPIO2_WIDTH": "32", "C_IS_DUAL": "0",
        "C_ALL_INPUTS": "0", "C_ALL_INPUTS_2": "0", "C_ALL_OUTPUTS": "1",
        "C_ALL_OUTPUTS_2": "0", "C_DOUT_DEFAULT": "0x00000000",
        "C_DOUT_DEFAULT_2": "0x00000000", "C_TRI_DEFAULT": "0xFFFFFFFF",
        "C_TRI_DEFAULT_2": "0xFFFFFFFF"}
    assert dict(windows["trace_analyzer_pi/axi_dma_0"].parameters) == {
        "c_sg_length_width": "23"}
    assert model_parameters({"type": "xilinx.com:ip:axi_bram_ctrl:4.1"}) == {}


def test_all_outputs_channel_keeps_what_is_written_and_tri_reads_0(board):
    leds = gpio(board, LEDS)
    leds.write(DATA, 0xF)
    leds.write(TRI, 0xF)  # ignored: the pins are outputs
    assert (leds.read(DATA), leds.read(TRI)) == (0xF, 0x0)
    leds.write(DATA, 0xFF)  # 4 pins: the upper bits do not exist
    assert leds.read(DATA) == 0xF
    rgb = gpio(board, RGBLEDS)
    rgb.write(DATA, 0b100001)
    assert (rgb.read(DATA), rgb.read(TRI)) == (0b100001, 0x0)


def test_all_inputs_channel_reads_the_pins_and_ignores_writes(board):
    buttons = gpio(board, BUTTONS)
    set_simulated_axi_gpio_input(board, "btns_gpio", 0b0000)
    buttons.write(DATA, 0xF)
    assert (buttons.read(DATA), buttons.read(TRI)) == (0x0, 0xF)
    set_simulated_axi_gpio_input(board, "btns_gpio", 0b1010)
    assert buttons.read(DATA) == 0b1010
    set_simulated_axi_gpio_input(board, "switches_gpio", 0xFF)  # 2 switches
    assert gpio(board, SWITCHES).read(DATA) == 0b11


def test_dual_channel_gpio_has_both_channels_as_its_parameters_say(board):
    hdmi = gpio(board, HDMI_IN_GPIO)
    hdmi.write(DATA, 0x1)
    hdmi.write(DATA2, 0x1)  # channel 2 is all inputs: ignored
    set_simulated_axi_gpio_input(board, "video/hdmi_in/frontend/axi_gpio_hdmiin", 1,
                                 channel=2)
    assert [hdmi.read(r) for r in (DATA, TRI, DATA2, TRI2)] == [0x1, 0x0, 0x1, 0x1]
    with pytest.raises(NotFound, match="this AXI GPIO has no channel 2"):
        set_simulated_axi_gpio_input(board, "leds_gpio", 1, channel=2)


def test_input_change_sets_isr_and_raises_the_gpio_interrupt(board):
    buttons = gpio(board, BUTTONS)
    set_simulated_axi_gpio_input(board, "btns_gpio", 0)
    buttons.write(ISR, buttons.read(ISR))  # toggle-on-write clears
    buttons.write(GIER, 0x80000000)
    buttons.write(IER, 0x1)
    set_simulated_axi_gpio_input(board, "btns_gpio", 0b0100)
    assert buttons.read(ISR) == 0x1
    # The GPIO's output goes into system_interrupts input 13 (base.hwh).
    intc = MMIO(0x41800000, 0x10000, device=board)
    assert intc.read(0x0) & (1 << 13)  # ISR of the AXI INTC
    buttons.write(ISR, 0x1)
    assert buttons.read(ISR) == 0x0


def test_cli_sim_input_presses_a_button(server, board, capsys):
    code, out, err = run_cli(capsys, "sim", "input", "btns_gpio", "0b0001", "-d",
                             server.address, "--json")
    assert code == 0, err
    assert json.loads(out) == {"window": "btns_gpio", "channel": 1, "value": 1}
    assert gpio(board, BUTTONS).read(DATA) == 0b0001
    code, _, err = run_cli(capsys, "sim", "input", "leds", "1", "-d", server.address)
    assert (code, err) == (4, "error: NOT_FOUND: no window 'leds' in the simulated design\n")
    code, _, err = run_cli(capsys, "sim", "input", "btns_gpio", "one", "-d", server.address)
    assert code == 2 and "'one' is not a number (e.g. 5, 0b0101, 0x5)" in err


def program_with_leds_parameters(board, design, parameters):
    """Programs ``design`` with leds_gpio's parameters updated."""
    windows = address_map(design)
    next(w for w in windows if w.name == "leds_gpio").parameters.update(parameters)
    board.call(board.bitstreams.ProgramBitstream, bitstream_pb2.ProgramBitstreamRequest(
        sha256=design.bitstream.sha256, design_name="bad", address_map=windows))


@pytest.mark.parametrize("parameters, error", [
    ({"C_GPIO_WIDTH": "wide"},
     "design window 'leds_gpio': parameter C_GPIO_WIDTH = 'wide' is not a 32-bit number"),
    ({"C_GPIO_WIDTH": "0x100000000"},
     "design window 'leds_gpio': parameter C_GPIO_WIDTH = '0x100000000' is not a 32-bit "
     "number"),
    ({"C_GPIO_WIDTH": "40"},
     "design window 'leds_gpio': axi_gpio channel1 width 40 must be 1 to 32 pins"),
    ({"C_ALL_INPUTS": "1"},
     "design window 'leds_gpio': axi_gpio channel1 cannot be all_inputs and all_outputs "
     "at once"),
    ({f"C_X{i}": "0" for i in range(54)},
     "design window 'leds_gpio' (0x41250000, 65536 bytes) has 65 parameters, more than "
     "the limit of 64"),
])
def test_bad_gpio_parameters_are_refused_and_nothing_changes(board, base_design, parameters,
                                                             error):
    design = base_design
    gpio(board, LEDS).write(DATA, 0x5)
    with pytest.raises(InvalidArgument) as raised:
        program_with_leds_parameters(board, design, parameters)
    assert raised.value.msg == "INVALID_ARGUMENT: " + error
    # The design programmed before is still there, LEDs as they were.
    assert board.info().fpga.design_name == design.name
    assert gpio(board, LEDS).read(DATA) == 0x5


def test_cli_sim_input_on_a_real_board_is_refused(tmp_path, capsys):
    config = tmp_path / "board.textproto"
    config.write_text('board: "test-board" platform: "zynqmp"\n'
                      'windows { name: "pl" base_address: 0xA0000000 size: 0x10000 }\n')
    mem = tmp_path / "mem"
    with open(mem, "wb") as out:
        out.truncate(0xA0010000)
    with LocalServer(backend="linux", config=config,
                     extra_args=["--mem-device", str(mem)]) as server:
        code, _, err = run_cli(capsys, "sim", "input", "pl", "1", "-d", server.address)
    assert (code, err) == (4, "error: FAILED_PRECONDITION: simulated inputs exist only on "
                              "the sim backend\n")
