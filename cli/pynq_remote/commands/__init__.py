"""The CLI's command modules, registered alphabetically."""

from . import info, mmio, ping, serve

COMMANDS = [info.info, mmio.mmio, ping.ping, serve.serve]


def register(group):
    for command in COMMANDS:
        group.add_command(command)
