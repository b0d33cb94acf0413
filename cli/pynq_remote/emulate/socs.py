"""The machines `pynq-remote emulate --soc` boots: QEMU's generic ``virt``
(the default) and its models of the two Xilinx SoCs, Zynq-7000
(``xilinx-zynq-a9``, armhf) and Zynq UltraScale+ (``xlnx-zcu102``,
aarch64). One ``Soc`` says everything that differs between them."""

import dataclasses

from . import elf

DEFAULT = "virt"


@dataclasses.dataclass(frozen=True)
class Soc:
    name: str
    qemu: str  # the QEMU program
    machine: tuple  # the arguments that pick QEMU's machine and CPU
    max_cpus: int  # what the machine model takes
    ram_base: int  # physical address of the first RAM byte
    console: str  # the kernel's console device
    serial_ports_before_console: int  # QEMU serial ports ahead of the console
    nic: tuple  # the arguments adding the NIC; "{netdev}" is the -netdev id
    kernel_append: str  # kernel command line beyond console, mem= and the carve-out
    server_arch: str  # as scripts/cross-build-server.sh names it
    debian_arch: str  # whose busybox and libraries the RAM-disk holds
    elf_machine: int
    library_dirs: tuple  # where this machine's shared libraries are
    guest_libdir: str  # where the RAM-disk puts them
    modules: tuple  # kernel modules of Debian's arm64 kernel the RAM-disk loads
    description: str


_ARM64_LIBRARIES = ("/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
                    "/usr/aarch64-linux-gnu/lib")
_ARMHF_LIBRARIES = ("/lib/arm-linux-gnueabihf", "/usr/lib/arm-linux-gnueabihf",
                    "/usr/arm-linux-gnueabihf/lib")

SOCS = {
    "virt": Soc(
        name="virt", qemu="qemu-system-aarch64", machine=("-M", "virt", "-cpu", "cortex-a57"),
        max_cpus=8, ram_base=0x40000000, console="ttyAMA0", serial_ports_before_console=0,
        # romfile=: no PXE ROM, so the ipxe-qemu package is not needed.
        nic=("-device", "virtio-net-pci,netdev={netdev},romfile="),
        kernel_append="", server_arch="aarch64", debian_arch="arm64",
        elf_machine=elf.EM_AARCH64, library_dirs=_ARM64_LIBRARIES,
        guest_libdir="lib/aarch64-linux-gnu",
        # The NIC is virtio-net on PCI (the PCI host bridge driver is built in).
        modules=("virtio_pci", "virtio_net"),
        description="qemu-system-aarch64 -M virt"),
    "zynq7000": Soc(
        name="zynq7000", qemu="qemu-system-arm", machine=("-M", "xilinx-zynq-a9"),
        max_cpus=1, ram_base=0, console="ttyPS0",
        # ttyPS0 is UART1 in zynq-zc702.dts, QEMU's second serial port.
        serial_ports_before_console=1,
        nic=("-net", "nic,netdev={netdev}"),
        # generic-uio nodes bind to uio_pdrv_genirq only when named here.
        kernel_append="uio_pdrv_genirq.of_id=generic-uio",
        server_arch="armhf", debian_arch="armhf", elf_machine=elf.EM_ARM,
        library_dirs=_ARMHF_LIBRARIES, guest_libdir="lib/arm-linux-gnueabihf",
        modules=(), description="qemu-system-arm -M xilinx-zynq-a9 (Zynq-7000)"),
    "zynqmp": Soc(
        name="zynqmp", qemu="qemu-system-aarch64",
        # The DisplayPort's audio would try the host's sound systems.
        machine=("-M", "xlnx-zcu102", "-audiodev", "none,id=snd0"),
        max_cpus=4, ram_base=0, console="ttyPS0", serial_ports_before_console=0,
        nic=("-net", "nic,netdev={netdev}"),
        kernel_append="", server_arch="aarch64", debian_arch="arm64",
        elf_machine=elf.EM_AARCH64, library_dirs=_ARM64_LIBRARIES,
        guest_libdir="lib/aarch64-linux-gnu",
        modules=("macb", "gpio_zynq"),
        description="qemu-system-aarch64 -M xlnx-zcu102 (Zynq UltraScale+)"),
}


def get(name):
    """The ``Soc`` called ``name``; ``KeyError`` names the choices."""
    try:
        return SOCS[name]
    except KeyError:
        raise KeyError(f"unknown SoC {name!r}: expected one of {', '.join(SOCS)}") from None
