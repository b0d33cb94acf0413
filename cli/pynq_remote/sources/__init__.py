"""pynq-remote's own non-Python files, cloned or installed: where they are
(``locate``) and the server built from them on this machine (``serverbuild``)."""

from .locate import (extensions_dir, is_installed, kas_dir, proto_dir, root,
                     server_source_dir, sim_config, version)
from .serverbuild import BuildFailed, MissingBuildPackages, cache_dir, host_server

__all__ = [
    "BuildFailed", "MissingBuildPackages", "cache_dir", "extensions_dir", "host_server",
    "is_installed", "kas_dir", "proto_dir", "root", "server_source_dir", "sim_config",
    "version",
]
