SUMMARY = "The board's BOOT.BIN, supplied by the user, for the SD card"
DESCRIPTION = "Deploys the file named by PYNQ_REMOTE_BOOT_BIN (a BOOT.BIN \
made with Vivado/Vitis or taken from the board vendor's BSP) as boot.bin."
LICENSE = "CLOSED"

inherit deploy nopackages

PYNQ_REMOTE_BOOT_BIN ??= ""
FILESEXTRAPATHS:prepend := "${@os.path.dirname(d.getVar('PYNQ_REMOTE_BOOT_BIN')) + ':' if d.getVar('PYNQ_REMOTE_BOOT_BIN') else ''}"
SRC_URI = "${@'file://' + os.path.basename(d.getVar('PYNQ_REMOTE_BOOT_BIN')) if d.getVar('PYNQ_REMOTE_BOOT_BIN') else ''}"

python () {
    if not d.getVar('PYNQ_REMOTE_BOOT_BIN'):
        raise bb.parse.SkipRecipe("set PYNQ_REMOTE_BOOT_BIN to the path of the board's BOOT.BIN")
}

do_deploy() {
    install -m 0644 ${WORKDIR}/${@os.path.basename(d.getVar('PYNQ_REMOTE_BOOT_BIN'))} ${DEPLOYDIR}/boot.bin
}
addtask deploy after do_install before do_build
