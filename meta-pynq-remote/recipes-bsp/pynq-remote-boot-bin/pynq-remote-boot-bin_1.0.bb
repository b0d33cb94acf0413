SUMMARY = "The board's BOOT.BIN, supplied by the user, for the SD card"
DESCRIPTION = "Deploys the file named by PYNQ_REMOTE_BOOT_BIN (a BOOT.BIN \
               made with Vivado/Vitis or taken from the board vendor's BSP) as boot.bin."
SECTION = "bsp"
LICENSE = "CLOSED"

inherit deploy nopackages

# An absolute path, set in local.conf or a kas file; pynq-remote-sdcard
# depends on this recipe only when it is set.
PYNQ_REMOTE_BOOT_BIN ??= ""
SRC_URI = "${@'file://' + d.getVar('PYNQ_REMOTE_BOOT_BIN') if d.getVar('PYNQ_REMOTE_BOOT_BIN') else ''}"

do_deploy() {
    if [ -z "${PYNQ_REMOTE_BOOT_BIN}" ]; then
        bbfatal "set PYNQ_REMOTE_BOOT_BIN to the path of the board's BOOT.BIN"
    fi
    install -m 0644 ${WORKDIR}${PYNQ_REMOTE_BOOT_BIN} ${DEPLOYDIR}/boot.bin
}
addtask deploy after do_install before do_build
