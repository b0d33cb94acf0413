"""PL clocks through the server's ClockService, with PYNQ's ``Clocks`` shape."""

import json

import pytest

import pynq_remote
from cli_runner import run_cli
from pynq_remote import Clocks, OutOfRange, PynqRemoteUserError
from pynq_remote.errors import FailedPrecondition
from pynq_remote.design.deploy import deploy
from pynq_remote.design import load_design
from pynq_remote.design.hwh import read_hwh
from pynq_remote.tools.server import LocalServer
from shared_data import overlay_file

IOPLL_MHZ = 1499.985  # the sim's Zynq UltraScale+ I/O PLL: 33.333 MHz x 90 / 2


@pytest.fixture
def board():
    """A server of its own per test: setting clocks changes the board."""
    with LocalServer() as server, pynq_remote.connect(server.address) as dev:
        yield dev


def test_boot_clocks_are_read_from_the_clock_controller(board):
    clocks = Clocks(device=board)
    assert clocks.fclk0_mhz == 99.999
    assert clocks.cpu_mhz == 1199.988
    assert "clocks" in board.info().capabilities


def test_setting_fclk_picks_the_nearest_divisors(board):
    clocks = Clocks(device=board)
    clocks.fclk1_mhz = 250
    assert clocks.fclk1_mhz == round(IOPLL_MHZ / 6, 6)
    clock = clocks.set_pl_clk(2, div0=5, div1=2)
    assert (clock.divisor0, clock.divisor1, clock.enabled) == (5, 2, True)
    assert clocks.fclk2_mhz == round(IOPLL_MHZ / 10, 6)


def test_class_level_access_uses_the_default_device(board, monkeypatch):
    monkeypatch.setenv("PYNQ_REMOTE_DEVICES", board.address)
    Clocks.fclk3_mhz = 125
    assert Clocks.fclk3_mhz == round(IOPLL_MHZ / 12, 6)


def test_unreachable_frequency_warns_with_what_was_set(board):
    with pytest.warns(UserWarning, match=r"PL clock 0: 1000 MHz is not reachable; "
                                         r"set to the closest, 749\.9925 MHz"):
        Clocks(device=board).fclk0_mhz = 1000


def test_bad_clock_arguments_are_refused_clearly(board):
    clocks = Clocks(device=board)
    with pytest.raises(OutOfRange, match="PL clock 4 does not exist: the PS has PL clocks "
                                         "0 to 3"):
        clocks.set_pl_clk(4)
    with pytest.raises(PynqRemoteUserError, match="give both PL clock divisors or neither"):
        clocks.set_pl_clk(0, div0=3)
    with pytest.raises(pynq_remote.InvalidArgument, match="divisors are 1 to 63"):
        clocks.set_pl_clk(0, div0=64, div1=1)
    assert clocks.fclk0_mhz == 99.999  # nothing changed


def test_board_without_clock_controller_says_so(tmp_path):
    config = tmp_path / "board.textproto"
    config.write_text('board: "bare" windows { name: "r" base_address: 0xA0000000 '
                      'size: 0x1000 registers {} }\n')
    with LocalServer(config=str(config)) as server, \
            pynq_remote.connect(server.address) as dev:
        assert "clocks" not in dev.info().capabilities
        with pytest.raises(FailedPrecondition, match=r"this board \(platform 'sim'\) has no "
                                                     r"PL clocks the server can control"):
            Clocks(device=dev).fclk0_mhz


def test_cli_sets_and_shows_clocks(board, capsys):
    code, out, _ = run_cli(capsys, "clocks", "-d", board.address, "--set", "0=125",
                           "--set", "1=50", "--json")
    assert code == 0
    result = json.loads(out)
    assert [c["frequency_mhz"] for c in result["pl_clocks"][:2]] == [
        round(IOPLL_MHZ / 12, 6), round(IOPLL_MHZ / 30, 6)]
    code, out, _ = run_cli(capsys, "clocks", "-d", board.address)
    assert code == 0
    assert "fclk0" in out and "124.999" in out and "IOPLL 1499.985 MHz" in out
    code, _, err = run_cli(capsys, "clocks", "-d", board.address, "--set", "fast")
    assert code == 2
    assert "'fast' is not INDEX=MHZ, e.g. 0=125" in err


def test_hwh_clock_dict_has_pynq_shape():
    pynqz2 = read_hwh(overlay_file("pynqz2_base_v2.4/base.hwh"))
    assert pynqz2.clock_dict[0] == {"enable": 1, "divisor0": 5, "divisor1": 2,
                                    "frequency": 100.0}
    assert pynqz2.clock_dict[1] == {"enable": 1, "divisor0": 7, "divisor1": 1,
                                    "frequency": 142.857132}
    ultra96 = read_hwh(overlay_file("ultra96v2_axi_dma_gpio/Accumulator_bd.hwh"))
    assert ultra96.clock_dict == {
        0: {"enable": 1, "divisor0": 15, "divisor1": 1, "frequency": 100.0},
        1: {"enable": 0, "divisor0": 15, "divisor1": 4, "frequency": 24.999975},
        2: {"enable": 0, "divisor0": 5, "divisor1": 1, "frequency": 299.9997},
        3: {"enable": 0, "divisor0": 4, "divisor1": 1, "frequency": 374.999625}}


def test_deploy_sets_the_clocks_the_design_enables(board):
    clocks = Clocks(device=board)
    clocks.fclk0_mhz = 250
    clocks.fclk1_mhz = 50
    design = load_design(overlay_file("ultra96v2_axi_dma_gpio/Accumulator_bd_wrapper.xsa"))
    result = deploy(board, design)
    assert result.pl_clocks_mhz == {0: 99.999}
    assert clocks.fclk0_mhz == 99.999
    assert clocks.fclk1_mhz == round(IOPLL_MHZ / 30, 6)  # disabled in the design: left


def test_cli_warning_goes_to_stderr_and_json_stays_clean(board, capsys):
    code, out, err = run_cli(capsys, "clocks", "-d", board.address, "--set", "0=1000", "--json")
    assert code == 0
    assert json.loads(out)["pl_clocks"][0]["frequency_mhz"] == round(IOPLL_MHZ / 2, 6)
    assert "PL clock 0: 1000.0 MHz is not reachable" in err
