"""The CLI's command modules, registered alphabetically."""

from . import (bench, buffers, build_image, clocks, deploy, discover, doctor, emulate, ext,
               flash, gpio, info, irq, mmio, overlay, pair, ping, pki, serve, sim, status)

COMMANDS = [bench.bench, buffers.buffers, build_image.build_image, clocks.clocks,
            deploy.deploy, discover.discover, doctor.doctor, emulate.emulate, ext.ext,
            flash.flash, gpio.gpio, info.info, irq.irq, mmio.mmio, overlay.overlay, pair.pair,
            ping.ping, pki.pki, serve.serve, sim.sim, status.status]


def register(group):
    for command in COMMANDS:
        group.add_command(command)
