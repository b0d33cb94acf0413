SUMMARY = "pynq-remote RAM-disk: busybox and pynq-remote-server, nothing else"
DESCRIPTION = "A busybox-based RAM-disk (cpio.gz, and cpio.gz.u-boot on the \
               boards that boot with U-Boot) whose only job is pynq-remote-server."
SECTION = "images"
LICENSE = "MIT"

IMAGE_INSTALL = "base-files \
                 base-passwd \
                 ${VIRTUAL-RUNTIME_base-utils} \
                 ${VIRTUAL-RUNTIME_init_manager} \
                 ${VIRTUAL-RUNTIME_initscripts} \
                 ${VIRTUAL-RUNTIME_dev_manager} \
                 packagegroup-pynq-remote \
                 "
IMAGE_FEATURES = ""
IMAGE_LINGUAS = ""
# The kernel boots the RAM-disk; it does not live inside it.
PACKAGE_EXCLUDE = "kernel-image-*"
INITRAMFS_FSTYPES ?= "cpio.gz"
IMAGE_FSTYPES = "${INITRAMFS_FSTYPES}"

inherit core-image pynq_remote_size_limit

# The kernel starts /init from a RAM-disk: busybox init.
pynq_remote_link_init[doc] = "Links /init to busybox init"
ROOTFS_POSTPROCESS_COMMAND += "pynq_remote_link_init"
pynq_remote_link_init() {
    ln -sf ${base_sbindir}/init ${IMAGE_ROOTFS}/init
}
