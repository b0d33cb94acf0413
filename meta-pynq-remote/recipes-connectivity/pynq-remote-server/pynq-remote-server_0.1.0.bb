SUMMARY = "pynq-remote-server: remote control of AMD Zynq boards over gRPC"
DESCRIPTION = "The C++ gRPC server of pynq-remote, built from this layer's own \
               checkout (target-server/ and proto/), started at boot and restarted if it dies."
SECTION = "net"
LICENSE = "BSD-3-Clause"
# nooelint: oelint.var.licenseremotefile - the checkout has no license file of its own
LIC_FILES_CHKSUM = "file://${COMMON_LICENSE_DIR}/BSD-3-Clause;md5=550794465ba0ec5312d6919e203a55f9"

DEPENDS = "avahi grpc grpc-native openssl protobuf protobuf-native"

# Our own code comes from the checkout that holds this layer (layer.conf sets
# PYNQ_REMOTE_SRCDIR), never from the network; the version is
# target-server/VERSION (tests/test_yocto.py checks they agree).
# nooelint: oelint.vars.fileextrapaths,oelint.vars.outofcontext - the checkout is the source
FILESEXTRAPATHS:prepend := "${PYNQ_REMOTE_SRCDIR}:"
SRC_URI = "file://target-server/CMakeLists.txt \
           file://target-server/VERSION \
           file://target-server/cmake \
           file://target-server/config \
           file://target-server/include \
           file://target-server/src \
           file://proto/pynq_remote \
           file://pynq-remote-server.default \
           file://pynq-remote-server.init \
           file://pynq-remote-server.service \
           file://pynq-remote-server-supervise \
           "
# Extensions built into the server (docs/extensions.md): names of folders
# extensions/NAME found on FILESPATH, i.e. in this checkout's extensions/
# or, for a user's own, in the files/ of a .bbappend in their layer.
# In a kas file: PYNQ_REMOTE_EXTENSIONS:append = " sysmon"
PYNQ_REMOTE_EXTENSIONS ??= ""
SRC_URI += "${@' '.join('file://extensions/' + name for name in d.getVar('PYNQ_REMOTE_EXTENSIONS').split())}"
# CMake wants a ';' list; quoted, as the configure step runs in a shell.
PYNQ_REMOTE_EXTENSION_DIRS = "${@';'.join('${WORKDIR}/extensions/' + name for name in d.getVar('PYNQ_REMOTE_EXTENSIONS').split())}"

S = "${WORKDIR}/target-server"

inherit cmake update-rc.d systemd

EXTRA_OECMAKE = "-DPYNQ_REMOTE_BUILD_TESTS=OFF \
                 -DPYNQ_REMOTE_DEFAULT_SIM_CONFIG=${datadir}/pynq-remote/sim-board.textproto \
                 '-DPYNQ_REMOTE_EXTENSIONS=${PYNQ_REMOTE_EXTENSION_DIRS}' \
                 "

# How the server runs: the board's machine configuration sets the platform
# and the carve-out; all of it lands in /etc/default/pynq-remote-server.
PYNQ_REMOTE_LISTEN ??= "0.0.0.0:7967"
PYNQ_REMOTE_PLATFORM ??= "auto"
PYNQ_REMOTE_CARVEOUT ??= ""
# On the boot partition (mounted by the supervisor), so pairing survives
# reboots of the RAM-disk.
PYNQ_REMOTE_CREDENTIALS_DIR ??= "/boot/pynq-remote"

do_install:append() {
    install -d ${D}${sysconfdir}/default ${D}${libexecdir}/pynq-remote
    carveout="${@'--carveout ' + d.getVar('PYNQ_REMOTE_CARVEOUT') if d.getVar('PYNQ_REMOTE_CARVEOUT') else ''}"
    sed -e 's|@LISTEN@|${PYNQ_REMOTE_LISTEN}|' -e 's|@PLATFORM@|${PYNQ_REMOTE_PLATFORM}|' \
        -e 's|@CREDENTIALS_DIR@|${PYNQ_REMOTE_CREDENTIALS_DIR}|' \
        -e "s|@CARVEOUT@|$carveout|" -e 's| *"$|"|' \
        ${WORKDIR}/pynq-remote-server.default > ${D}${sysconfdir}/default/pynq-remote-server
    sed -e 's|@BINDIR@|${bindir}|g' -e 's|@SYSCONFDIR@|${sysconfdir}|g' \
        ${WORKDIR}/pynq-remote-server-supervise > ${D}${libexecdir}/pynq-remote/supervise
    chmod 0755 ${D}${libexecdir}/pynq-remote/supervise

    install -d ${D}${sysconfdir}/init.d
    sed -e 's|@LIBEXECDIR@|${libexecdir}|g' \
        ${WORKDIR}/pynq-remote-server.init > ${D}${sysconfdir}/init.d/pynq-remote-server
    chmod 0755 ${D}${sysconfdir}/init.d/pynq-remote-server

    install -d ${D}${systemd_system_unitdir}
    sed -e 's|@BINDIR@|${bindir}|g' -e 's|@SYSCONFDIR@|${sysconfdir}|g' \
        ${WORKDIR}/pynq-remote-server.service > ${D}${systemd_system_unitdir}/pynq-remote-server.service
}

INITSCRIPT_NAME = "pynq-remote-server"
INITSCRIPT_PARAMS = "defaults 90 10"
SYSTEMD_SERVICE:${PN} = "pynq-remote-server.service"

FILES:${PN} += "${datadir}/pynq-remote ${systemd_system_unitdir}"
CONFFILES:${PN} = "${sysconfdir}/default/pynq-remote-server"
