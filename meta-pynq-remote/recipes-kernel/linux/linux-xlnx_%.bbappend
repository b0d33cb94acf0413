# What pynq-remote-server needs from the kernel on Zynq and ZynqMP boards
# (the FPGA manager of the SoC family, UIO, the PS GPIO controller, /dev/mem
# without STRICT_DEVMEM), and the device trees that the upstream kernel
# lacks. tests/test_yocto.py checks the Zynq-7000 result with bitbake -e.
FILESEXTRAPATHS:prepend:pynq-remote := "${THISDIR}/files:${THISDIR}/dts:"

SRC_URI:append:pynq-remote = " file://dt-overlay.cfg"
SRC_URI:append:pynq-remote = " file://devmem.cfg"
SRC_URI:append:pynq-remote = " file://cma.cfg"
SRC_URI:append:pynq-remote = " file://initramfs.cfg"
SRC_URI:append:pynq-remote = " file://uio.cfg"
SRC_URI:append:pynq-remote = " file://ps-gpio.cfg"
SRC_URI:append:pynq-remote = " file://fpga-manager-${SOC_FAMILY}.cfg"
# The SoC's system monitor, for the sysmon extension when the image has it
# (PYNQ_REMOTE_EXTENSIONS, e.g. from kas/mixins/sysmon.yml).
SRC_URI:append:pynq-remote = "${@bb.utils.contains('PYNQ_REMOTE_EXTENSIONS', 'sysmon', ' file://sysmon-${SOC_FAMILY}.cfg', '', d)}"

SRC_URI:append:aup-zu3-zynqmp = " file://zynqmp-aup-zu3.dts"
SRC_URI:append:pynq-z2-zynq7 = " file://zynq-pynq-z2.dts"

do_configure:append:aup-zu3-zynqmp() {
    install -m 0644 ${WORKDIR}/zynqmp-aup-zu3.dts ${S}/arch/arm64/boot/dts/xilinx/
}
do_configure:append:pynq-z2-zynq7() {
    install -m 0644 ${WORKDIR}/zynq-pynq-z2.dts ${S}/arch/arm/boot/dts/xilinx/
}
