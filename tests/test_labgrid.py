"""pynq_remote.labgrid with the real labgrid: environments written as a user
writes them, against real sim servers; the power switch of the strategy
tests starts and stops a server process (tests/sim_power.py)."""

import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from labgrid import Environment
from labgrid.binding import StateError
from labgrid.strategy import StrategyError

from pynq_remote import ConnectionFailed, PynqRemoteUserError
from pynq_remote.tools.server import LocalServer
from shared_data import overlay_file

pytest_plugins = ["pytester"]

pytestmark = pytest.mark.integration

ULTRA96_BIT = "ultra96v2_axi_dma_gpio/Accumulator_bd_wrapper.bit"
GPIO_TRI = 0xA0010004  # axi_gpio_0's channel 1 direction, in that design
HLS_ARG = 0xA0020010  # a register of the sim's hls_core_0, 0 after reset
SIM_POWER = Path(__file__).with_name("sim_power.py")


def free_address():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"127.0.0.1:{sock.getsockname()[1]}"


@pytest.fixture
def environment(tmp_path):
    """``environment(yaml)``: the labgrid Environment of that file; cleaned up after."""
    environments = []

    def load(text):
        path = tmp_path / "env.yaml"
        path.write_text(textwrap.dedent(text))
        environments.append(Environment(str(path)))
        return environments[-1]
    yield load
    for env in environments:
        env.cleanup()


@pytest.fixture(scope="module")
def server():
    """A server of its own: programming changes the board the other tests share."""
    with LocalServer() as local:
        yield local


def board_environment(address):
    return f"""
        targets:
          main:
            resources:
              PynqRemoteDevice:
                address: "{address}"
            drivers:
              PynqRemoteDriver: {{}}
        imports:
          - pynq_remote.labgrid
    """


def test_driver_programs_a_design_and_reads_and_writes_registers(environment, server):
    target = environment(board_environment(server.address)).get_target()
    pynq = target.get_driver("PynqRemoteDriver")
    overlay = pynq.program(str(overlay_file(ULTRA96_BIT)))
    assert overlay.is_loaded()
    assert pynq.info().fpga.design_name == "Accumulator_bd"
    assert pynq.mmio_read(GPIO_TRI) == 0x1  # axi_gpio_0: one pin, an input
    pynq.mmio_write(GPIO_TRI, 0x0)
    assert pynq.mmio_read(GPIO_TRI) == 0x0
    assert pynq.mmio_read(GPIO_TRI, width=2) == 0x0


def test_driver_buffer_round_trip(environment, server):
    pynq = environment(board_environment(server.address)).get_target().get_driver(
        "PynqRemoteDriver")
    buffer = pynq.buffer_allocate(1000, "u4")
    pynq.buffer_write(buffer, np.arange(1000))
    buffer[:] = 0  # only the board's copy holds the data now
    assert np.array_equal(pynq.buffer_read(buffer), np.arange(1000))
    pynq.buffer_free(buffer)
    with pytest.raises(ValueError, match=f"buffer {buffer.handle} was freed"):
        pynq.buffer_read(buffer)


def test_driver_needs_activation(environment, server):
    target = environment(board_environment(server.address)).get_target()
    pynq = target.get_driver("PynqRemoteDriver", activate=False)
    with pytest.raises(StateError, match="has not been activated"):
        pynq.mmio_read(GPIO_TRI)
    target.activate(pynq)
    assert pynq.info().backend == "sim"
    target.deactivate(pynq)
    assert pynq.device is None


def test_unreachable_board_fails_activation_naming_it(environment):
    address = free_address()
    target = environment(board_environment(address)).get_target()
    with pytest.raises(ConnectionFailed, match=f"cannot reach device at {address}"):
        target.get_driver("PynqRemoteDriver")


def test_bad_address_in_the_environment(environment):
    env = environment(board_environment("board:http"))
    with pytest.raises(ValueError, match="address: bad port in device address 'board:http'"):
        env.get_target()


def test_credential_files_that_cannot_be_read_fail_activation(environment, server, tmp_path):
    missing = tmp_path / "missing.token"
    target = environment(f"""
        targets:
          main:
            resources:
              PynqRemoteDevice:
                address: "{server.address}"
                token_file: "{missing}"
            drivers:
              PynqRemoteDriver: {{}}
        imports:
          - pynq_remote.labgrid
    """).get_target()
    with pytest.raises(PynqRemoteUserError,
                       match=f"token file {missing}: cannot read: No such file or directory"):
        target.get_driver("PynqRemoteDriver")


def power_environment(address, state_dir, cmd_on=None, boot_timeout=30.0):
    power = f"{sys.executable} {SIM_POWER}"
    cmd_on = cmd_on or f"{power} on {state_dir} {address}"
    return f"""
        targets:
          main:
            resources:
              PynqRemoteDevice:
                address: "{address}"
            drivers:
              ExternalPowerDriver:
                cmd_on: "{cmd_on}"
                cmd_off: "{power} off {state_dir}"
              PynqRemoteDriver: {{}}
              PynqRemoteStrategy:
                boot_timeout: {boot_timeout}
        imports:
          - pynq_remote.labgrid
    """


def test_strategy_powers_the_board_boots_it_and_power_cycles_it(environment, tmp_path):
    address = free_address()
    target = environment(power_environment(address, tmp_path)).get_target()
    strategy = target.get_strategy()
    pynq = target.get_driver("PynqRemoteDriver", activate=False)
    try:
        strategy.transition("ready")
        assert (tmp_path / "server.pid").exists()
        assert pynq.info().backend == "sim"
        pynq.mmio_write(HLS_ARG, 0x1234)
        assert pynq.mmio_read(HLS_ARG) == 0x1234

        strategy.transition("off")
        assert not (tmp_path / "server.pid").exists()
        with pytest.raises(StateError):
            pynq.mmio_read(HLS_ARG)

        strategy.transition("ready")  # a new boot: the register is back to 0
        assert pynq.mmio_read(HLS_ARG) == 0
        strategy.transition("off")
    finally:
        subprocess.run([sys.executable, SIM_POWER, "off", tmp_path], check=True)


def test_strategy_reports_a_board_that_never_answers(environment, tmp_path):
    address = free_address()
    target = environment(power_environment(address, tmp_path, cmd_on="true",
                                           boot_timeout=1.0)).get_target()
    strategy = target.get_strategy()
    with pytest.raises(StrategyError) as raised:
        strategy.transition("ready")
    cause = raised.value.__cause__
    assert isinstance(cause, ConnectionFailed)
    assert cause.msg.startswith(f"{address} did not answer within 1 s of power on: "
                                f"cannot reach device at {address}: ")
    assert cause.msg.endswith("Connection refused")
    with pytest.raises(StrategyError, match="broken state"):
        strategy.transition("off")


def test_strategy_rejects_an_unknown_state(environment, tmp_path):
    target = environment(power_environment(free_address(), tmp_path)).get_target()
    with pytest.raises(StrategyError) as raised:
        target.get_strategy().transition("booted")
    assert raised.value.__cause__.msg == "unknown state 'booted': use off, on or ready"


def test_labgrid_pytest_fixtures_power_and_use_the_board(pytester, tmp_path):
    """As docs/labgrid.md shows: pytest --lg-env, a fixture that goes to ready."""
    address = free_address()
    env = pytester.path / "env.yaml"
    env.write_text(textwrap.dedent(power_environment(address, tmp_path)))
    pytester.makeconftest("""
        import pytest

        @pytest.fixture(scope="session")
        def pynq(strategy, target):
            strategy.transition("ready")
            yield target.get_driver("PynqRemoteDriver")
            strategy.transition("off")
    """)
    pytester.makepyfile(test_board="""
        def test_board(pynq):
            assert pynq.info().backend == "sim"
    """)
    try:
        result = pytester.runpytest_subprocess("--lg-env", env, "-p", "no:cacheprovider")
        result.assert_outcomes(passed=1)
        assert not (tmp_path / "server.pid").exists()  # powered off after the session
    finally:
        subprocess.run([sys.executable, SIM_POWER, "off", tmp_path], check=True)
