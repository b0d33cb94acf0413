SUMMARY = "pynq-remote SD card: one boot partition that boots the RAM-disk"
DESCRIPTION = "A wic image (with its .bmap) whose FAT boot partition holds the \
               boot firmware, kernel, device tree, boot script and pynq-remote-image."
SECTION = "images"
LICENSE = "MIT"

# No root file system of its own: everything is in the boot partition.
IMAGE_INSTALL = ""
IMAGE_FEATURES = ""
IMAGE_LINGUAS = ""
PACKAGE_INSTALL = ""
IMAGE_FSTYPES = "wic wic.bmap"
WKS_FILE = "pynq-remote-sd.wks"

inherit image

PYNQ_REMOTE_RAMDISK = "pynq-remote-image"
IMAGE_BOOT_FILES:append = " \
    ${PYNQ_REMOTE_RAMDISK}-${MACHINE}.rootfs.cpio.gz.u-boot;rootfs.cpio.gz.u-boot \
    ${@'boot.bin' if d.getVar('PYNQ_REMOTE_BOOT_BIN') else ''} \
"
WKS_FILE_DEPENDS:append = " ${@'pynq-remote-boot-bin' if d.getVar('PYNQ_REMOTE_BOOT_BIN') else ''}"
do_image_wic[depends] += "${PYNQ_REMOTE_RAMDISK}:do_image_complete"

# The boards of this layer (conf/machine/), not the QEMU machines.
COMPATIBLE_MACHINE = "^(zcu104-zynqmp|kv260-zynqmp|ultra96v2-zynqmp|aup-zu3-zynqmp|pynq-z2-zynq7)$"
