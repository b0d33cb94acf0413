import pytest

import pynq_remote
from pynq_remote.errors import ConnectionFailed, PynqRemoteUserError


def test_info_describes_the_sim_board(device):
    info = device.info()
    assert info.server_version == pynq_remote.__version__
    assert info.api_version == "v1"
    assert (info.board, info.platform, info.backend) == ("sim", "sim", "sim")
    assert info.kernel_release and info.architecture
    assert {"mmio", "mmio.block", "mmio.batch", "sessions", "buffers", "link_test"} <= set(
        info.capabilities)
    assert info.limits.max_burst_words >= 4096
    assert info.limits.max_message_bytes >= 4 << 20
    names = [w.name for w in info.mmio_windows]
    assert names == ["axi_gpio_0", "axi_gpio_1", "hls_core_0", "axi_dma_0", "axi_bram_ctrl_0",
                     "axi_intc_0"]
    assert info.fpga.state == "operating"
    assert info.fpga.design_name == "sim_base"


def test_ping_measures_a_round_trip(device):
    assert 0 < device.ping() < 5


def test_connect_uses_pynq_remote_devices(monkeypatch, sim_address):
    monkeypatch.setenv("PYNQ_REMOTE_DEVICES", f"{sim_address},other-board")
    with pynq_remote.connect() as dev:
        assert dev.address == sim_address
        assert dev.info().board == "sim"


def test_unreachable_device_is_a_clear_connection_error():
    with pynq_remote.connect("127.0.0.1:1") as dev:
        with pytest.raises(ConnectionFailed, match="cannot reach device at 127.0.0.1:1"):
            dev.info()


def test_connect_without_any_device_says_how_to_choose_one():
    with pytest.raises(PynqRemoteUserError, match="pass -d HOST"):
        pynq_remote.connect()
