"""The device trees the SoC targets boot, made from the boards' own (the
kernel source's ``zynq-zc702.dtb``, Debian's ``zynqmp-zcu102-rev1.0.dtb``)
by this module's patch steps, with ``fdtput`` from Debian's
device-tree-compiler. Each result is cached by the input's bytes and the
steps' ``FORMAT``."""

import hashlib
import pathlib
import re
import shutil
import subprocess
import tempfile

from . import host
from .failures import BuildFailed

TOOLS = [("fdtput", "device-tree-compiler"), ("fdtget", "device-tree-compiler"),
         ("dtc", "device-tree-compiler")]
# Format of what the steps below write: part of the cache key.
FORMAT = 1

# A UIO device for the interrupt service on Zynq-7000: the first PL-to-PS
# interrupt (IRQ_F2P[0], SPI 29 = GIC line 61) over the first page of GP0.
# (Debian's arm64 kernel has no uio_pdrv_genirq, so ZynqMP gets none.)
UIO_NODE = "pynq-remote-uio"
ZYNQ_UIO = (0x43C00000, 29)
# A region a kernel driver (mmio-sram) claims inside a PL aperture, so that
# /dev/mem refuses it as it refuses any region a driver owns.
CLAIMED_NODE = "sram"
ZYNQ_CLAIMED = (0x40000000, 0x1000)
ZYNQMP_CLAIMED = (0xB0000000, 0x1000)
# The ZynqMP peripherals brought up without the firmware's clocks.
ZYNQMP_PERIPHERALS = ("/axi/serial@ff000000", "/axi/serial@ff010000",
                      "/axi/gpio@ff0a0000", "/axi/mmc@ff170000")
ZYNQMP_GEM0 = "/axi/ethernet@ff0b0000"  # QEMU's first NIC
FIXED_CLOCK = "/pynq-remote-clk-100mhz"
# What a node loses when its clock is replaced: the firmware serves them all.
FIRMWARE_PROPERTIES = ("power-domains", "pinctrl-0", "pinctrl-names", "resets",
                       "reset-names", "phy-handle")


def _tool(*command):
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BuildFailed(f"{' '.join(command)} failed: "
                          f"{(result.stderr or result.stdout).strip()}")
    return result.stdout


def _put(dtb, node, prop, kind, *values):
    _tool("fdtput", "-t", kind, str(dtb), node, prop, *map(str, values))


def _cells(*values):
    return [f"{v:x}" for v in values]


def _add_node(dtb, path):
    _tool("fdtput", "-c", str(dtb), path)


def _properties(dtb, node):
    return _tool("fdtget", "-p", str(dtb), node).split()


def _exists(dtb, node):
    return subprocess.run(["fdtget", "-l", str(dtb), node], capture_output=True,
                          check=False).returncode == 0


def add_uio_node(dtb, base, spi, size=0x10000):
    """A ``generic-uio`` node on SPI ``spi`` (level high) at ``base``."""
    path = f"/{UIO_NODE}@{base:x}"
    _add_node(dtb, path)
    _put(dtb, path, "compatible", "s", "generic-uio")
    _put(dtb, path, "reg", "x", *_reg(dtb, base, size))
    _put(dtb, path, "interrupts", "x", *_cells(0, spi, 4))
    return path


def add_claimed_node(dtb, base, size):
    """An ``mmio-sram`` node: its driver claims [base, base + size)."""
    path = f"/{CLAIMED_NODE}@{base:x}"
    _add_node(dtb, path)
    _put(dtb, path, "compatible", "s", "mmio-sram")
    _put(dtb, path, "reg", "x", *_reg(dtb, base, size))
    _put(dtb, path, "#address-cells", "x", "1")
    _put(dtb, path, "#size-cells", "x", "1")
    address_cells = int(_tool("fdtget", str(dtb), "/", "#address-cells"))
    _put(dtb, path, "ranges", "x", *_cells(0), *_split(base, address_cells),
         *_split(size, 1))
    return path


def _reg(dtb, base, size):
    """``base`` and ``size`` in the root's cells (1 or 2 each)."""
    address_cells = int(_tool("fdtget", str(dtb), "/", "#address-cells"))
    size_cells = int(_tool("fdtget", str(dtb), "/", "#size-cells"))
    return _split(base, address_cells) + _split(size, size_cells)


def _split(value, cells):
    return _cells(*[(value >> (32 * i)) & 0xFFFFFFFF for i in reversed(range(cells))])


def _next_phandle(dtb):
    source = _tool("dtc", "-q", "-I", "dtb", "-O", "dts", str(dtb))
    used = [int(v, 16) for v in re.findall(r"phandle = <(0x[0-9a-f]+)>", source)]
    return max(used, default=0) + 1


def add_fixed_clock(dtb, frequency_hz=100_000_000):
    """A root ``fixed-clock``; returns its phandle."""
    phandle = _next_phandle(dtb)
    _add_node(dtb, FIXED_CLOCK)
    _put(dtb, FIXED_CLOCK, "compatible", "s", "fixed-clock")
    _put(dtb, FIXED_CLOCK, "#clock-cells", "x", "0")
    _put(dtb, FIXED_CLOCK, "clock-frequency", "u", frequency_hz)
    _put(dtb, FIXED_CLOCK, "phandle", "x", f"{phandle:x}")
    return phandle


def use_fixed_clock(dtb, node, phandle):
    """Every clock of ``node`` becomes the fixed clock; what the firmware
    would serve (power domains, pins, resets) goes."""
    properties = _properties(dtb, node)
    names = (_tool("fdtget", "-t", "s", str(dtb), node, "clock-names").split()
             if "clock-names" in properties else ["one"])
    _put(dtb, node, "clocks", "x", *[f"{phandle:x}"] * len(names))
    for prop in set(FIRMWARE_PROPERTIES) & set(properties):
        _tool("fdtput", "-d", str(dtb), node, prop)


def patch_zynq7000(dtb):
    """zynq-zc702.dtb plus the UIO node and the claimed region."""
    add_uio_node(dtb, *ZYNQ_UIO)
    add_claimed_node(dtb, *ZYNQ_CLAIMED)


def patch_zynqmp(dtb):
    """zynqmp-zcu102-rev1.0.dtb as QEMU can run it without EL3 firmware
    (which QEMU does not have, so it disables the zynqmp-firmware node and
    no firmware clock exists): the UARTs, the GPIO controller and SD on a
    fixed 100 MHz clock; the network on GEM0 (QEMU's first NIC; the board
    uses GEM3, whose PHY QEMU does not model) with its PHY found by
    scanning the MDIO bus; plus the claimed region."""
    phandle = add_fixed_clock(dtb)
    for node in ZYNQMP_PERIPHERALS:
        use_fixed_clock(dtb, node, phandle)
    board_gem = _tool("fdtget", "-t", "s", str(dtb), "/aliases", "ethernet0").strip()
    if board_gem != ZYNQMP_GEM0:
        _put(dtb, board_gem, "status", "s", "disabled")
    use_fixed_clock(dtb, ZYNQMP_GEM0, phandle)
    if _exists(dtb, ZYNQMP_GEM0 + "/mdio"):
        _tool("fdtput", "-r", str(dtb), ZYNQMP_GEM0 + "/mdio")
    _put(dtb, ZYNQMP_GEM0, "status", "s", "okay")
    _put(dtb, "/aliases", "ethernet0", "s", ZYNQMP_GEM0)
    add_claimed_node(dtb, *ZYNQMP_CLAIMED)


PATCHES = {"zynq7000": patch_zynq7000, "zynqmp": patch_zynqmp}


def patched(soc_name, source, cache):
    """The device tree of ``soc_name`` made from ``source``, cached."""
    host.require("patching the device tree", tools=TOOLS)
    data = pathlib.Path(source).read_bytes()
    digest = hashlib.sha256(f"pynq-remote dtb {soc_name} format {FORMAT}\n".encode() + data)
    target = (pathlib.Path(cache) / "device-trees" / digest.hexdigest()[:16]
              / f"{soc_name}.dtb")
    if target.is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as staging:
        partial = pathlib.Path(staging) / target.name
        shutil.copy2(source, partial)
        # Room for the new nodes: fdtput grows the blob, but only so far.
        _tool("dtc", "-q", "-I", "dtb", "-O", "dtb", "-p", "4096", "-o", str(partial),
              str(partial))
        PATCHES[soc_name](partial)
        partial.replace(target)
    return target
