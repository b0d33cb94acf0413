SUMMARY = "What a pynq-remote board runs besides the base system"
DESCRIPTION = "The server, its start-up at boot, and DHCP networking on eth0."
SECTION = "base"

inherit packagegroup

RDEPENDS:${PN} = "init-ifupdown \
                  netbase \
                  pynq-remote-server \
                  "
