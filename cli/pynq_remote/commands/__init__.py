"""The CLI's command modules, registered alphabetically."""

from . import buffers, build_image, deploy, info, mmio, overlay, ping, serve, status

COMMANDS = [buffers.buffers, build_image.build_image, deploy.deploy, info.info, mmio.mmio,
            overlay.overlay, ping.ping, serve.serve, status.status]


def register(group):
    for command in COMMANDS:
        group.add_command(command)
