# What pynq-remote-server needs from the kernel on the QEMU arm64 machine
# (no FPGA there: /dev/mem, buffers and device-tree overlays).
FILESEXTRAPATHS:prepend:pynq-remote := "${THISDIR}/files:"

SRC_URI:append:pynq-remote = " file://dt-overlay.cfg"
SRC_URI:append:pynq-remote = " file://devmem.cfg"
SRC_URI:append:pynq-remote = " file://cma.cfg"
SRC_URI:append:pynq-remote = " file://initramfs.cfg"
