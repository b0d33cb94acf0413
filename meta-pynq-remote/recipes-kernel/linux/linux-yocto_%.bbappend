# What pynq-remote-server needs from the kernel on the QEMU arm64 machine
# (no FPGA there: /dev/mem, buffers and device-tree overlays).
FILESEXTRAPATHS:prepend := "${THISDIR}/files:"

SRC_URI:append:qemuarm64 = " file://dt-overlay.cfg file://devmem.cfg file://cma.cfg file://initramfs.cfg"
