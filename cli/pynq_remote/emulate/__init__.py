"""The emulated target: the server on a real aarch64 Linux in QEMU.

``build()`` makes (or finds in the cache) the kernel and RAM-disk;
``Emulator(artifacts).start()`` boots them and returns the ``host:port`` of
the server; ``stop_running()`` stops one started by another process.
"""

from .build import Artifacts, BuildFailed, build, cache_dir
from .emulator import (AlreadyRunning, Emulator, EmulatorError, NotRunning, State,
                       read_state, run_dir, stop_running)
from .host import MissingHostPackages

__all__ = ["AlreadyRunning", "Artifacts", "BuildFailed", "Emulator", "EmulatorError",
           "MissingHostPackages", "NotRunning", "State", "build", "cache_dir", "read_state",
           "run_dir", "stop_running"]
