"""The pytest plugin (pynq_remote.integrations.pytest_plugin), run as a user runs it:
pytest in a subprocess on a test file of its own, loading the plugin
through its entry point, against real servers."""

import socket
import textwrap

import pytest

import pynq_remote
from pynq_remote import ConnectionFailed
from pynq_remote.tools.server import LocalServer
from shared_data import overlay_file

pytest_plugins = ["pytester"]

pytestmark = pytest.mark.integration

ULTRA96_BIT = "ultra96v2_axi_dma_gpio/Accumulator_bd_wrapper.bit"


def run(pytester, source, *args):
    """Runs pytest on ``source`` as test_inner.py; ``-rs`` lists skip reasons."""
    pytester.makepyfile(test_inner=textwrap.dedent(source))
    return pytester.runpytest_subprocess("-rs", "-p", "no:cacheprovider", *args)


def closed_port_address():
    """A loopback address that nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"127.0.0.1:{sock.getsockname()[1]}"


DEVICE_TESTS = """
    import pytest

    def test_board_is_the_sim(pynq_device):
        assert pynq_device.info().board == "sim"

    @pytest.mark.pynq_board("ZCU104", "KR260")
    def test_on_a_zcu104(pynq_device):
        raise AssertionError("ran on the wrong board")

    @pytest.mark.pynq_board("sim")
    @pytest.mark.pynq_capability("clocks", "gpio")
    def test_on_the_sim_with_clocks(pynq_device):
        pass

    @pytest.mark.pynq_capability("clocks", "video")
    def test_needs_video(pynq_device):
        raise AssertionError("ran without video")

    @pytest.mark.pynq_design("Accumulator_bd")
    def test_needs_the_accumulator(pynq_device):
        raise AssertionError("ran without the design")
"""


def test_pynq_device_from_the_option_and_markers_skip_with_reasons(pytester, sim_address):
    result = run(pytester, DEVICE_TESTS, "--pynq-device", sim_address)
    result.assert_outcomes(passed=2, skipped=3)
    result.stdout.fnmatch_lines_random([
        f"SKIPPED [[]1[]] test_inner.py:*: needs board 'ZCU104' or 'KR260'; "
        f"{sim_address} is board 'sim'",
        f"SKIPPED [[]1[]] test_inner.py:*: needs capability 'video'; {sim_address} "
        f"has mmio, mmio.block, *, clocks, buffers, bitstreams, gpio, interrupts",
        f"SKIPPED [[]1[]] test_inner.py:*: needs design 'Accumulator_bd' loaded; "
        f"{sim_address} has 'sim_base'",
    ])


def test_pynq_device_from_the_environment(pytester, sim_address, monkeypatch):
    monkeypatch.setenv("PYNQ_REMOTE_DEVICES", f"{sim_address},192.0.2.1")
    result = run(pytester, """
        def test_first_device_of_the_list(pynq_device):
            assert pynq_device.address == "%s"
            assert pynq_device.info().backend == "sim"
    """ % sim_address)
    result.assert_outcomes(passed=1)


def test_the_option_wins_over_the_environment(pytester, sim_address, monkeypatch):
    monkeypatch.setenv("PYNQ_REMOTE_DEVICES", closed_port_address())
    result = run(pytester, """
        def test_device(pynq_device):
            assert pynq_device.address == "%s"
    """ % sim_address, "--pynq-device", sim_address)
    result.assert_outcomes(passed=1)


def test_pynq_device_without_a_device_errors_saying_how_to_give_one(pytester):
    result = run(pytester, """
        def test_one(pynq_device):
            pass

        def test_two(pynq_device):
            pass

        def test_without_board():
            pass
    """)
    result.assert_outcomes(passed=1, errors=2)
    result.stdout.fnmatch_lines([
        "*pynq_device: no device given: pass --pynq-device HOST[[]:PORT] or set "
        "PYNQ_REMOTE_DEVICES"])


def test_unreachable_device_errors_naming_it(pytester):
    address = closed_port_address()
    result = run(pytester, """
        def test_one(pynq_device):
            pass
    """, "--pynq-device", address)
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines([f"*pynq_device: cannot reach device at {address}: *"])


def test_bad_device_address_errors(pytester):
    result = run(pytester, """
        def test_one(pynq_device):
            pass
    """, "--pynq-device", "board:http")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*pynq_device: bad port in device address 'board:http'"])


def test_sim_device_runs_a_server_for_the_session_and_stops_it(pytester):
    result = run(pytester, """
        import pytest

        addresses = set()

        @pytest.mark.parametrize("round", range(2))
        def test_sim(sim_device, round):
            addresses.add(sim_device.address)
            assert sim_device.info().backend == "sim"

        def test_one_server_for_the_session():
            assert len(addresses) == 1
            print("SERVER", addresses.pop())

        @pytest.mark.pynq_board("ZCU104")
        def test_markers_use_the_sim(sim_device):
            pass
    """, "-s")
    result.assert_outcomes(passed=3, skipped=1)
    result.stdout.fnmatch_lines(["*needs board 'ZCU104'; 127.0.0.1:* is board 'sim'"])
    address = next(line.split()[-1] for line in result.outlines if "SERVER" in line)
    with pynq_remote.connect(address) as gone, pytest.raises(ConnectionFailed):
        gone.info()


def test_overlay_deploys_a_real_design_and_design_markers_see_it(pytester):
    bitfile = overlay_file(ULTRA96_BIT)
    result = run(pytester, """
        import pytest

        def test_deploy(sim_device, overlay):
            ol = overlay("%s")
            assert ol.is_loaded()
            assert ol.ip_dict["axi_gpio_0"]["phys_addr"] == 0xA0010000
            assert sim_device.info().fpga.design_name == "Accumulator_bd"

        @pytest.mark.pynq_design("Accumulator_bd")
        def test_after_the_deploy(sim_device):
            pass

        @pytest.mark.pynq_design("sim_base")
        def test_needs_the_sim_design(sim_device):
            pass
    """ % bitfile)
    result.assert_outcomes(passed=2, skipped=1)
    result.stdout.fnmatch_lines(
        ["*needs design 'sim_base' loaded; 127.0.0.1:* has 'Accumulator_bd'"])


def test_overlay_uses_pynq_device_when_the_test_has_no_sim(pytester):
    bitfile = overlay_file(ULTRA96_BIT)
    with LocalServer() as board:  # programming changes the board
        result = run(pytester, """
            def test_deploy(overlay, pynq_device):
                assert overlay("%s").device is pynq_device
                assert pynq_device.info().fpga.design_name == "Accumulator_bd"
        """ % bitfile, "--pynq-device", board.address)
    result.assert_outcomes(passed=1)


def test_marker_without_names_is_an_error(pytester, sim_address):
    result = run(pytester, """
        import pytest

        @pytest.mark.pynq_board
        def test_one(pynq_device):
            pass
    """, "--pynq-device", sim_address)
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*@pytest.mark.pynq_board needs one or more names, got ()"])


def test_markers_are_registered(pytester):
    result = pytester.runpytest_subprocess("--markers")
    result.stdout.fnmatch_lines_random([
        "@pytest.mark.pynq_board(*names): skip unless the device is one of these boards*",
        "@pytest.mark.pynq_design(*names): *",
        "@pytest.mark.pynq_capability(*names): *",
    ])
