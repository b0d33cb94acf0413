"""The CLI's command modules, registered alphabetically."""

from . import buffers, deploy, emulate, info, mmio, overlay, ping, serve, status

COMMANDS = [buffers.buffers, deploy.deploy, emulate.emulate, info.info, mmio.mmio,
            overlay.overlay, ping.ping, serve.serve, status.status]


def register(group):
    for command in COMMANDS:
        group.add_command(command)
