"""The CLI's command modules, registered alphabetically."""

from . import (buffers, clocks, deploy, emulate, flash, info, mmio, overlay, pair, ping, pki,
               serve, status)

COMMANDS = [buffers.buffers, clocks.clocks, deploy.deploy, emulate.emulate, flash.flash,
            info.info, mmio.mmio, overlay.overlay, pair.pair, ping.ping, pki.pki, serve.serve,
            status.status]


def register(group):
    for command in COMMANDS:
        group.add_command(command)
