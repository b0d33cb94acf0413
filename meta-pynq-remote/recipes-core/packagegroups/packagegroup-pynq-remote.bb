SUMMARY = "What a pynq-remote board runs besides the base system"
DESCRIPTION = "The server, its start-up at boot, and DHCP networking on eth0."

inherit packagegroup

RDEPENDS:${PN} = " \
    pynq-remote-server \
    init-ifupdown \
    netbase \
"
