"""Building board images with kas and bitbake: ``pynq-remote build-image``.

``prepare`` checks the host and the arguments, ``build`` runs kas and
reports bitbake's progress, ``shell`` opens a kas shell::

    from pynq_remote import imagebuild
    job = imagebuild.prepare("zcu104")
    result = imagebuild.build(job, on_progress=lambda p: print(p.task, p.total))
    for artifact in result.artifacts:
        print(artifact.kind, artifact.path, artifact.size)
"""

from .artifacts import Artifact, find_artifacts
from .bitbake_progress import BitbakeProgress, FailedTask
from .board_file import BadBoardFile, UnknownMachine
from .boards import Board, SourceNotFound, UnknownBoard, board, boards, source_dir
from .host_check import HostNotReady, check_host
from .kas_build import (BuildFailed, BuildResult, KasJob, MixinOutsideSource, build,
                        default_out_dir, prepare, shell)

__all__ = [
    "Artifact", "BadBoardFile", "BitbakeProgress", "Board", "BuildFailed", "BuildResult",
    "FailedTask", "HostNotReady", "KasJob", "MixinOutsideSource", "SourceNotFound",
    "UnknownBoard", "UnknownMachine", "board", "boards", "build", "check_host",
    "default_out_dir", "find_artifacts", "prepare", "shell", "source_dir",
]
