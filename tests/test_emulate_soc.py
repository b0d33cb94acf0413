"""End to end on QEMU's models of the Xilinx SoCs: the linux backend meets
the kernel's own Zynq drivers. Each SoC boots once (the module fixture
``soc_target`` of tests/emulated_target.py, by the real
`pynq-remote emulate --soc`), and every test runs on both:

- zynq7000: ``-M xilinx-zynq-a9``, the armhf server, a kernel built from
  Debian's linux-source-6.1 with cli/pynq_remote/emulate/kernel/zynq7000.config
  and zynq-zc702.dtb plus this project's nodes (a generic-uio node, a
  region claimed by the mmio-sram driver);
- zynqmp: ``-M xlnx-zcu102``, the aarch64 server, Debian's arm64 kernel and
  zynqmp-zcu102-rev1.0.dtb patched to run without EL3 firmware.

What each model has and lacks is in docs/emulate.md; the facts below are
what these tests hold the targets to. Everything they need is installed by
scripts/install-emulate-deps.sh; a missing tool fails them, loudly.
"""

import json
import re

import pytest

import pynq_remote
from pynq_remote.board.interrupt import list_subscriptions
from cli_runner import run_cli
from shared_data import overlay_file

pytestmark = pytest.mark.emulate

FACTS = {
    "zynq7000": {
        "architecture": "armv7l",
        "platform": "zynq",
        "board": "Xilinx ZC702 board",
        "windows": [{"name": "m_axi_gp0", "base_address": 0x40000000, "size": 0x40000000},
                    {"name": "m_axi_gp1", "base_address": 0x80000000, "size": 0x40000000}],
        "gpio_label": "zynq_gpio",
        "gpio_lines": 118,
        "uio_lines": [61],  # IRQ_F2P[0], SPI 29
        # Linux 6.1 names a claim by device and node.
        "claimed": (0x40000000, "40000000.sram sram@40000000"),
        # QEMU 7.2 models no GPIO controller: the driver's writes are lost
        # and its reads of DATA_RO give 0.
        "gpio_read_back": 0,
        # QEMU's SLCR at reset: IO PLL x26 of 33.333 MHz, FPGA0..3 / 24.
        "pl_clocks_mhz": [866.667 / 24] * 4,
        "iio_devices": ["xadc"],
        # The load reaches the kernel's Zynq driver, which fails: QEMU's devcfg
        # block never leaves reset ("Timeout waiting for PCFG_INIT"). The
        # file is named by the sha256 of the bytes the server cached.
        "program_error": ("FAILED_PRECONDITION: the FPGA manager refused [0-9a-f]{64}[.]bin: "
                          "Connection timed out [(]manager state 'write init error'[)]"),
        "manager_state": "write init error",
    },
    "zynqmp": {
        "architecture": "aarch64",
        "platform": "zynqmp",
        "board": "ZynqMP ZCU102 Rev1.0",
        "windows": [{"name": "m_axi_hpm0_lpd", "base_address": 0x80000000, "size": 0x20000000},
                    {"name": "m_axi_hpm0_fpd", "base_address": 0xA0000000, "size": 0x10000000},
                    {"name": "m_axi_hpm1_fpd", "base_address": 0xB0000000, "size": 0x10000000}],
        "gpio_label": "zynqmp_gpio",
        "gpio_lines": 174,
        "uio_lines": [],  # Debian's arm64 kernel has no uio_pdrv_genirq
        "claimed": (0xB0000000, "b0000000.sram sram@b0000000"),
        # QEMU 7.2 models no GPIO controller: the driver's writes are lost
        # and its reads of DATA_RO give 0.
        "gpio_read_back": 0,
        # QEMU 7.2 does not model CRL_APB: its registers read 0.
        "pl_clocks_mhz": [0, 0, 0, 0],
        "iio_devices": [],  # no AMS model, and no driver in Debian's kernel
        "program_error": re.escape(
            "FAILED_PRECONDITION: this board has no FPGA manager "
            "(/sys/class/fpga_manager/fpga0 is missing), so it cannot load bitstreams"),
        "manager_state": "",
    },
}


@pytest.fixture(scope="module")
def facts(soc_target):
    return FACTS[soc_target.state["soc"]]


def test_platform_board_and_windows_come_from_the_device_tree(soc_target, facts, capsys):
    code, out, err = run_cli(capsys, "info", "-d", soc_target.address, "--json")
    assert code == 0, err
    info = json.loads(out)
    assert (info["architecture"], info["platform"], info["board"], info["backend"]) == (
        facts["architecture"], facts["platform"], facts["board"], "linux")
    assert info["kernel_release"] == soc_target.state["kernel_release"]
    assert info["mmio_windows"] == facts["windows"]


def test_gpio_lines_are_the_kernel_zynq_gpio_chip(soc_target, facts, capsys):
    code, out, err = run_cli(capsys, "gpio", "list", "-d", soc_target.address, "--json")
    assert code == 0, err
    lines = json.loads(out)
    chips = {(line["chip"], line["chip_label"]) for line in lines}
    assert chips == {("gpiochip0", facts["gpio_label"])}
    assert len(lines) == facts["gpio_lines"]
    code, _, err = run_cli(capsys, "gpio", "write", "gpiochip0:0", "1",
                           "-d", soc_target.address)
    assert code == 0, err
    code, out, err = run_cli(capsys, "gpio", "list", "-d", soc_target.address, "--json")
    line0 = json.loads(out)[0]
    assert (line0["offset"], line0["direction"], line0["used"]) == (0, "out", True)
    code, out, err = run_cli(capsys, "gpio", "read", "gpiochip0:0", "-d", soc_target.address,
                             "--json")
    assert code == 0, err
    assert json.loads(out)["value"] == facts["gpio_read_back"]


def test_uio_devices_are_the_interrupt_lines(soc_target, facts):
    with pynq_remote.connect(soc_target.address) as dev:
        assert list(list_subscriptions(dev).available_lines) == facts["uio_lines"]


def test_mmio_in_a_region_a_driver_claimed_names_it_and_iomem_relaxed(soc_target, facts,
                                                                      capsys):
    address, claimant = facts["claimed"]
    code, _, err = run_cli(capsys, "mmio", "read", hex(address), "-d", soc_target.address)
    assert code == 4
    assert err.startswith(
        f"error: PERMISSION_DENIED: the kernel refuses to map {address:#x}-"
        f"{address + 0xffff:#x} of /dev/mem (claimed by {claimant} in /proc/iomem; "
        "CONFIG_IO_STRICT_DEVMEM keeps /dev/mem out of a driver's region): unbind that "
        "driver, or boot the kernel with iomem=relaxed"), err


SLCR_LOCKSTA = 0xF800000C
FPGA0_CLK_CTRL = 0xF8000170


def test_pl_clocks_are_read_from_the_ps_clock_controller(soc_target, facts, capsys):
    # Runs before the deploy test: a deploy sets the PL clocks from the
    # design's .hwh before it loads (as PYNQ does), failed load or not.
    code, out, err = run_cli(capsys, "clocks", "-d", soc_target.address, "--json")
    assert code == 0, err
    clocks = json.loads(out)["pl_clocks"]
    assert [clock["frequency_mhz"] for clock in clocks] == pytest.approx(
        facts["pl_clocks_mhz"], rel=1e-4)
    if soc_target.state["soc"] != "zynq7000":
        return
    # The kernel's clock tree reads the same SLCR registers.
    soc_target.console("grep -q debugfs /proc/mounts || mount -t debugfs none /sys/kernel/debug")
    kernel_mhz = [int(soc_target.console(f"cat /sys/kernel/debug/clk/fclk{i}/clk_rate")) / 1e6
                  for i in range(4)]
    assert [clock["frequency_mhz"] for clock in clocks] == pytest.approx(kernel_mhz, rel=1e-4)


def test_programming_reaches_the_fpga_manager_and_says_why_it_cannot(soc_target, facts,
                                                                     capsys):
    design = overlay_file("kr260_dma_ledadder/DMA_LED_wrapper.bin")
    hwh = overlay_file("kr260_dma_ledadder/DMA_LED.hwh")
    code, _, err = run_cli(capsys, "deploy", design, "--hwh", hwh, "-d", soc_target.address)
    assert code == 4
    assert re.fullmatch("error: deploy failed on 1 of 1 device[(]s[)]: " + facts["program_error"]
                        + "\n", err), err
    # Nothing was loaded before, and nothing is recorded as loaded now.
    with pynq_remote.connect(soc_target.address) as dev:
        status = dev.info().fpga
    assert (status.design_name, status.manager_state) == ("", facts["manager_state"])


def test_setting_a_pl_clock_leaves_the_slcr_lock_as_found(soc_target, capsys):
    if soc_target.state["soc"] != "zynq7000":
        # QEMU 7.2 does not model the ZynqMP's CRL_APB, where the PL clocks
        # and their IOPLL are: the user is told the source reads 0 MHz.
        code, _, err = run_cli(capsys, "clocks", "--set", "0=100", "-d", soc_target.address)
        assert code == 4
        assert err == ("error: FAILED_PRECONDITION: PL clock 0 cannot be set: its source, "
                       "the IOPLL, runs at 0 MHz (its control register 0xff5e0020 reads "
                       "0x0)\n"), err
        return
    # Linux unlocks the SLCR at boot (its drivers write it later); the
    # server leaves the lock as it found it. Locked, a write goes through
    # SLCR_UNLOCK and SLCR_LOCK.
    for lock, mhz in ((0, 100), (1, 50)):
        if lock:
            soc_target.console("devmem 0xf8000004 32 0x767b")  # SLCR_LOCK
        assert int(soc_target.console(f"devmem {SLCR_LOCKSTA:#x} 32"), 16) == lock
        _set_fclk0(soc_target, capsys, mhz)
        assert int(soc_target.console(f"devmem {SLCR_LOCKSTA:#x} 32"), 16) == lock
    soc_target.console("devmem 0xf8000008 32 0xdf0d")  # as Linux left it: unlocked


def _set_fclk0(soc_target, capsys, mhz):
    code, out, err = run_cli(capsys, "clocks", "--set", f"0={mhz}", "-d", soc_target.address,
                             "--json")
    assert code == 0, err
    fclk0 = json.loads(out)["pl_clocks"][0]
    control = int(soc_target.console(f"devmem {FPGA0_CLK_CTRL:#x} 32"), 16)
    assert ((control >> 8) & 0x3F, (control >> 20) & 0x3F) == (
        fclk0["divisor0"], fclk0["divisor1"])
    assert fclk0["frequency_mhz"] == pytest.approx(mhz, rel=0.05)


def test_the_xadc_reads_through_iio(soc_target, facts):
    devices = soc_target.console("ls /sys/bus/iio/devices/ 2>/dev/null; true").split()
    names = [soc_target.console(f"cat /sys/bus/iio/devices/{d}/name") for d in devices]
    assert names == facts["iio_devices"]
    if names:
        raw = int(soc_target.console("cat /sys/bus/iio/devices/iio:device0/in_temp0_raw"))
        assert 0 <= raw < 4096  # a 12-bit conversion
