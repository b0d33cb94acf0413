# What pynq-remote-server needs from the kernel on Zynq and ZynqMP boards,
# and the device trees that the upstream kernel lacks.
FILESEXTRAPATHS:prepend := "${THISDIR}/files:${THISDIR}/dts:"

PYNQ_REMOTE_KERNEL_CFG = "file://dt-overlay.cfg file://devmem.cfg file://cma.cfg file://initramfs.cfg"
SRC_URI:append:zynqmp = " ${PYNQ_REMOTE_KERNEL_CFG} file://fpga-manager-zynqmp.cfg"
SRC_URI:append:zynq = " ${PYNQ_REMOTE_KERNEL_CFG} file://fpga-manager-zynq.cfg"

SRC_URI:append:aup-zu3-zynqmp = " file://zynqmp-aup-zu3.dts"
SRC_URI:append:pynq-z2-zynq7 = " file://zynq-pynq-z2.dts"

do_configure:append:aup-zu3-zynqmp() {
    install -m 0644 ${WORKDIR}/zynqmp-aup-zu3.dts ${S}/arch/arm64/boot/dts/xilinx/
}
do_configure:append:pynq-z2-zynq7() {
    install -m 0644 ${WORKDIR}/zynq-pynq-z2.dts ${S}/arch/arm/boot/dts/xilinx/
}
