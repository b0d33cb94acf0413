"""The official ``pynq`` 4.0.0 host package against our server (sim board).

Each test runs a script in .venv-pynq with ``PYNQ_REMOTE_DEVICES`` set, as a
user's notebook would, through ``pynq.pl_server.remote_device.RemoteDevice``.
"""

import json
import os
import pathlib
import re
import shutil
import subprocess
import textwrap

import pytest

import pynq_remote
from compat_support import CompatServer, pynq_python, run_pynq, start_pynq
from pynq_remote.board.clocks import get_clocks, set_pl_clock
from pynq_remote.board.gpio import set_simulated_axi_gpio_input
from pynq_remote.design import load_design
from pynq_remote.design.bitfile import read_bitstream
from pynq_remote.design.deploy import deploy
from shared_data import overlay_file

pytestmark = pytest.mark.integration

PRELUDE = textwrap.dedent("""\
    import json
    import numpy as np
    import pynq
    from pynq import Device, MMIO
    from pynq.pl_server.remote_device import RemoteDevice
    dev = Device.active_device
    assert isinstance(dev, RemoteDevice), type(dev)
    """)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    pynq_python()  # install first: a failure is a failure, not a skip
    with CompatServer(tmp_path_factory.mktemp("compat") / "server.log") as server:
        yield server


def pynq(server, tmp_path, body):
    return run_pynq(server.host, PRELUDE + textwrap.dedent(body), cwd=tmp_path)


def test_connect_reports_arch_and_board_name(server, tmp_path):
    out = pynq(server, tmp_path, """\
        print(json.dumps({"arch": dev.arch, "name": dev.name, "tag": dev.tag}))
        """)
    assert out == {"arch": "aarch64", "name": "sim", "tag": "remote0"}


def test_mmio_write_read_through_pynq_mmio(server, tmp_path):
    out = pynq(server, tmp_path, """\
        leds = MMIO(0xA0000000, 0x10000)          # axi_gpio_0 of the sim board
        leds.write(0x0, 0x5)
        ram = MMIO(0xA0100000, 0x1000)            # block RAM
        ram.write(0x10, 0xDEADBEEF)
        ram.write(0x14, -1)                       # two's complement, as pynq sends it
        ram.write(0x20, b"\\x01\\x02\\x03\\x04\\x05\\x06\\x07\\x08")
        print(json.dumps({"leds": leds.read(0x0), "word": ram.read(0x10),
                          "minus_one": ram.read(0x14), "byte": ram.read(0x10, 1),
                          "half": ram.read(0x10, 2), "bytes": [ram.read(0x20), ram.read(0x24)],
                          "array": int(ram.array[4])}))
        """)
    assert out == {"leds": 0x5, "word": 0xDEADBEEF, "minus_one": 0xFFFFFFFF, "byte": 0xEF,
                   "half": 0xBEEF, "bytes": [0x04030201, 0x08070605], "array": 0xDEADBEEF}
    with pynq_remote.connect(server.address) as dev:
        assert pynq_remote.MMIO(0xA0100000, 0x1000, device=dev).read(0x10) == 0xDEADBEEF


def test_eight_byte_read_is_refused_with_a_clear_error(server, tmp_path):
    out = pynq(server, tmp_path, """\
        ram = MMIO(0xA0100000, 0x1000)
        ram.write(0x40, 0x11111111)
        ram.write(0x44, 0x22222222)
        try:
            value = ram.read(0x40, 8)
            print(json.dumps({"value": value}))
        except RuntimeError as error:
            print(json.dumps({"error": str(error)}))
        """)
    assert out == {"error": "8-byte reads cannot be answered over the PYNQ.remote "
                            "protocol: its reply holds 32 bits; read the two halves at "
                            "offset and offset + 4"}


def test_mmio_outside_the_windows_is_refused(server, tmp_path):
    out = pynq(server, tmp_path, """\
        try:
            MMIO(0x00000000, 0x1000)
            print(json.dumps({"error": None}))
        except RuntimeError as error:
            print(json.dumps({"error": str(error)}))
        """)
    assert out["error"].startswith("0x0 (4096 bytes) is outside the MMIO windows of this board")


def test_allocate_and_sync_round_trip(server, tmp_path):
    out = pynq(server, tmp_path, """\
        buf = pynq.allocate((1024,), "u4")
        ref = np.arange(1024, dtype="u4") * 3
        buf[:] = ref
        buf.sync_to_device()
        buf[:] = 0
        buf.sync_from_device()
        result = {"equal": bool(np.array_equal(buf, ref)),
                  "physical_address": int(buf.physical_address),
                  "cacheable": bool(buf.cacheable)}
        buf.freebuffer()
        print(json.dumps(result))
        """)
    assert out["equal"] is True
    assert 0x60000000 <= out["physical_address"] < 0x80000000  # the sim's buffer pool


def test_file_round_trip_lands_in_the_scratch_area(server, tmp_path):
    name = f"pynq_remote_hosttest_{tmp_path.name}.bin"
    out = pynq(server, tmp_path, f"""\
        payload = b"pynq-remote-hosttest " + bytes(range(256)) * 40
        dev.write_file("/tmp/{name}", payload)
        back = dev.read_file("/tmp/{name}")
        print(json.dumps({{"same": back == payload, "size": len(back),
                          "exists": dev.exists_file("/tmp/{name}").exists}}))
        """)
    assert out == {"same": True, "size": 21 + 256 * 40, "exists": True}
    assert (server.scratch_dir() / name).stat().st_size == 21 + 256 * 40
    assert not pathlib.Path("/tmp", name).exists()  # the host's /tmp is untouched


def test_refused_paths(server, tmp_path):
    out = pynq(server, tmp_path, """\
        import grpc
        result = {"exists": dev.exists_file("/etc/shadow").exists}
        for what, call in (("read", lambda: dev.read_file("/etc/shadow")),
                           ("write", lambda: dev.write_file("/etc/pynq-remote-test", b"x"))):
            try:
                call()
                result[what] = None
            except grpc.RpcError as error:
                result[what] = [error.code().name, error.details()]
        print(json.dumps(result))
        """)
    assert out["exists"] is False
    assert out["read"][0] == "NOT_FOUND" and "no file '/etc/shadow'" in out["read"][1]
    assert out["write"][0] == "PERMISSION_DENIED"
    assert not pathlib.Path("/etc/pynq-remote-test").exists()


def test_overlay_download_then_mmio_to_one_of_its_ips(server, tmp_path):
    # pynq looks for NAME.hwh beside NAME.bit.
    bit = tmp_path / "Accumulator_bd_wrapper.bit"
    shutil.copy(overlay_file("ultra96v2_axi_dma_gpio/Accumulator_bd_wrapper.bit"), bit)
    shutil.copy(overlay_file("ultra96v2_axi_dma_gpio/Accumulator_bd.hwh"),
                bit.with_suffix(".hwh"))
    with pynq_remote.connect(server.address) as dev:
        set_pl_clock(dev, 0, 50.0)  # the .hwh asks for 100 MHz
    out = pynq(server, tmp_path, f"""\
        ol = pynq.Overlay("{bit}")
        gpio = ol.ip_dict["axi_gpio_0"]
        mmio = MMIO(gpio["phys_addr"], gpio["addr_range"])
        mmio.write(0x0, 0xA5)
        print(json.dumps({{"phys_addr": gpio["phys_addr"], "value": mmio.read(0x0),
                          "ips": sorted(k for k in ol.ip_dict if "/" not in k),
                          "fclk0": pynq.Clocks.fclk0_mhz}}))
        """)
    assert out["phys_addr"] == 0xA0010000
    assert out["value"] == 0xA5
    assert {"axi_dma_0", "axi_gpio_0", "axi_gpio_1"} <= set(out["ips"])
    expected = read_bitstream(bit).sha256  # the FPGA-manager bytes pynq converted
    with pynq_remote.connect(server.address) as dev:
        fpga = dev.info().fpga
        assert fpga.sha256 == expected
        assert fpga.state == "operating" and not fpga.partial
        # pynq set the PL clocks through the clock controller's registers.
        pl0 = get_clocks(dev)[1][0]
        assert abs(pl0.frequency_mhz - out["fclk0"]) < 0.001
        assert abs(pl0.frequency_mhz - 100.0) < 1.0
    assert "AXI port widths" in server.log_path.read_text()


def test_pynqs_own_selftest_passes(server, tmp_path):
    """pynq 4.0.0 ships a PYNQ.remote self-test; every step of it passes."""
    bit = tmp_path / "Accumulator_bd_wrapper.bit"
    shutil.copy(overlay_file("ultra96v2_axi_dma_gpio/Accumulator_bd_wrapper.bit"), bit)
    shutil.copy(overlay_file("ultra96v2_axi_dma_gpio/Accumulator_bd.hwh"),
                bit.with_suffix(".hwh"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYNQ_REMOTE")}
    env["PYNQ_REMOTE_DEVICES"] = server.host
    result = subprocess.run([pynq_python(), "-m", "pynq.remote.selftest", "--ip", server.host,
                             "--bitstream", str(bit)], capture_output=True, text=True,
                            timeout=300, env=env, cwd=tmp_path)
    assert re.search(r"summary: 11 passed, 0 failed, 0 skipped", result.stdout), result.stdout


def test_ps_gpio_through_pynq_gpio(server, tmp_path):
    """pynq's RemoteGPIO numbers pins sysfs-style: base + 78 + EMIO index."""
    out = pynq(server, tmp_path, """\
        from pynq.pl_server.remote_device import RemoteGPIO
        pin = RemoteGPIO.get_gpio_pin(2, device=dev)
        line = RemoteGPIO(pin, "out", device=dev)
        line.write(1)
        print(json.dumps({"pin": pin, "npins": RemoteGPIO.get_gpio_npins(device=dev),
                          "exported": line.is_exported()}))
        """)
    assert out == {"pin": 80, "npins": 174, "exported": True}
    with pynq_remote.connect(server.address) as dev:
        assert pynq_remote.GPIO(80, "out", device=dev).read() == 1


# pynq's own drivers on the sim's device models. The PYNQ.remote protocol
# carries no address map: the server reuses the one our deploy sent for the
# same bitstream, so every test below deploys through pynq_remote first.

ACCUMULATOR = "ultra96v2_axi_dma_gpio/Accumulator_bd_wrapper.bit"


@pytest.fixture(scope="module")
def design_server(tmp_path_factory):
    """A server of its own: its designs do not leak into the tests above."""
    pynq_python()
    with CompatServer(tmp_path_factory.mktemp("compat") / "server.log") as server:
        yield server


def overlay_copy(tmp_path, bit_file):
    """``bit_file`` and its .hwh side by side in ``tmp_path``, as pynq wants them."""
    bit = tmp_path / pathlib.Path(bit_file).name
    shutil.copy(overlay_file(bit_file), bit)
    hwh = next(pathlib.Path(overlay_file(bit_file)).parent.glob("*.hwh"))
    shutil.copy(hwh, bit.with_suffix(".hwh"))
    return bit


def deployed(server, bit):
    """Deploys ``bit`` through pynq_remote, so the server knows its address map."""
    with pynq_remote.connect(server.address) as dev:
        deploy(dev, load_design(bit))


def test_pynqs_dma_completes_a_loopback_on_the_sim(design_server, tmp_path):
    bit = overlay_copy(tmp_path, ACCUMULATOR)
    deployed(design_server, bit)
    out = pynq(design_server, tmp_path, f"""\
        ol = pynq.Overlay("{bit}")
        dma = ol.axi_dma_0
        src = pynq.allocate((4096,), "u4")
        dst = pynq.allocate((4096,), "u4")
        src[:] = np.arange(4096, dtype="u4") * 7
        dst[:] = 0
        dma.recvchannel.transfer(dst)
        dma.sendchannel.transfer(src)
        dma.sendchannel.wait()
        dma.recvchannel.wait()
        print(json.dumps({{"driver": type(dma).__module__ + "." + type(dma).__name__,
                          "equal": bool(np.array_equal(src, dst)),
                          "transferred": dma.recvchannel.transferred}}))
        """)
    assert out == {"driver": "pynq.lib.dma.DMA", "equal": True, "transferred": 4 * 4096}


def test_pynqs_dma_sees_the_error_bits_of_a_rejected_transfer(design_server, tmp_path):
    """A packet longer than the receive (DMAIntErr) and a source outside the
    buffer memory (DMADecErr) halt the channel with the error bit set in
    DMASR. pynq 4.0's wait() checks `running` before the error bits, so on
    a halted channel it says "not started" (as on a board); DMASR tells why."""
    bit = overlay_copy(tmp_path, ACCUMULATOR)
    deployed(design_server, bit)
    out = pynq(design_server, tmp_path, f"""\
        def failed(channel, status_offset):
            try:
                channel.wait()
                return None
            except RuntimeError as error:
                return [str(error), channel.error, channel._mmio.read(status_offset)]

        ol = pynq.Overlay("{bit}")
        dma = ol.axi_dma_0
        src = pynq.allocate((256,), "u4")
        small = pynq.allocate((16,), "u4")
        dma.recvchannel.transfer(small)
        dma.sendchannel.transfer(src)
        dma.sendchannel.wait()
        result = {{"receive": failed(dma.recvchannel, 0x34)}}

        class Outside:
            physical_address = 0x1000   # no memory the DMA can reach
            nbytes = 64
            def flush(self):
                pass

        ol = pynq.Overlay("{bit}")      # a fresh engine
        dma = ol.axi_dma_0
        dma.sendchannel.transfer(Outside())
        result["send"] = failed(dma.sendchannel, 0x04)
        print(json.dumps(result))
        """)
    # DMASR: Halted (bit 0), the error bit (IntErr 4, DecErr 6), Err_Irq (14).
    assert out == {"receive": ["DMA channel not started", True, 0x4011],
                   "send": ["DMA channel not started", True, 0x4041]}


def test_pynqs_gpio_driver_sees_the_same_pins_as_ours(design_server, tmp_path):
    bit = overlay_copy(tmp_path, ACCUMULATOR)
    deployed(design_server, bit)
    script = PRELUDE + textwrap.dedent(f"""\
        import sys
        ol = pynq.Overlay("{bit}")
        ol.axi_gpio_1.channel1.write(1, 0x1)     # all outputs: an LED
        print("written", flush=True)
        sys.stdin.readline()                     # the test sets the input pin
        print(json.dumps({{"driver": type(ol.axi_gpio_0).__name__,
                          "input": ol.axi_gpio_0.channel1.read(),
                          "tri": ol.axi_gpio_1.mmio.read(0x4)}}))
        """)
    process = start_pynq(design_server.host, script, tmp_path)
    try:
        assert process.stdout.readline() == "written\n", process.stderr.read()
        with pynq_remote.connect(design_server.address) as dev:
            assert pynq_remote.MMIO(0xA0020000, 0x10000, device=dev).read(0x0) == 1
            set_simulated_axi_gpio_input(dev, "axi_gpio_0", 1)
        stdout, stderr = process.communicate("go\n", timeout=60)
    finally:
        process.kill()
    assert json.loads(stdout.strip().splitlines()[-1]) == {
        "driver": "AxiGPIO", "input": 1, "tri": 0}, stderr
