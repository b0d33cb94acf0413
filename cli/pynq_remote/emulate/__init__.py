"""The emulated target: the server on a real aarch64 Linux in QEMU.

``boot()`` does both steps: ``build()`` makes (or finds in the cache) the
kernel and RAM-disk, ``Emulator(artifacts).start()`` boots them and returns
the ``host:port`` of the server. ``stop_running()`` stops a target started
by another process.
"""

from .artifacts import Artifacts, build, cache_dir
from .emulator import (AlreadyRunning, Emulator, EmulatorError, NotRunning, State,
                       read_state, run_dir, run_on_console, stop_running)
from .failures import BuildFailed
from .host import MissingHostPackages
from .socs import SOCS


def boot(folder=None, cache=None, progress=lambda _message: None, **options):
    """Builds what is missing, boots it and returns the running ``Emulator``
    (its ``address`` answers health checks). ``options`` go to ``Emulator``:
    ``memory_mib``, ``carveout_mib``, ``cpus``, ``boot_timeout``, ``soc``
    ("virt", "zynq7000" or "zynqmp")."""
    emulator = Emulator(None, folder, **options)
    emulator.check_not_running()  # before a build that may take minutes
    emulator.artifacts = build(cache, progress, emulator.soc.name)
    emulator.start(progress)
    return emulator

__all__ = ["AlreadyRunning", "Artifacts", "BuildFailed", "Emulator", "EmulatorError",
           "MissingHostPackages", "NotRunning", "State", "boot", "build", "cache_dir", "read_state",
           "SOCS", "run_dir", "run_on_console", "stop_running"]
