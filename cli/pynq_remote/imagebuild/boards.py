"""The boards pynq-remote builds images for: one kas file each in ``kas/``,
or the user's own board file (board_file.py)."""

import dataclasses
import os
from pathlib import Path

from .. import sources
from ..errors import PynqRemoteUserError
from . import board_file

COMMON_FILE = "common.yml"


class SourceNotFound(PynqRemoteUserError):
    """The checkout holding kas/ and meta-pynq-remote/ was not found."""


class UnknownBoard(PynqRemoteUserError):
    """No kas file for the board asked for."""


@dataclasses.dataclass(frozen=True)
class Board:
    name: str
    machine: str
    description: str
    notes: tuple
    kas_file: Path
    # An own board file's content (None for pynq-remote's boards).
    config: dict = dataclasses.field(default=None, compare=False)

    def as_dict(self):
        return {"name": self.name, "machine": self.machine,
                "description": self.description, "notes": list(self.notes),
                "kas_file": str(self.kas_file)}


def source_dir():
    """The folder with kas/ and meta-pynq-remote/: ``$PYNQ_REMOTE_SOURCE``, else
    the checkout or installation this package runs from."""
    configured = os.environ.get("PYNQ_REMOTE_SOURCE")
    path = Path(configured) if configured else sources.root()
    if not (path / "kas" / COMMON_FILE).is_file():
        raise SourceNotFound(
            f"no kas/{COMMON_FILE} in {path}: set PYNQ_REMOTE_SOURCE to a pynq-remote "
            f"checkout, or reinstall pynq-remote from its wheel")
    return path


def boards(source=None):
    """Every board with a kas file, by name."""
    kas_dir = (source or source_dir()) / "kas"
    found = [_read(path) for path in sorted(kas_dir.glob("*.yml"))
             if path.name != COMMON_FILE]
    return {board.name: board for board in found}


def board(name, source=None):
    """A listed board by name, or the own board file ``name`` names."""
    if board_file.is_board_file(name):
        return own_board(name, source or source_dir())
    known = boards(source)
    if name not in known:
        raise UnknownBoard(f"no board '{name}': choose one of {', '.join(known)} "
                           f"(pynq-remote build-image --list)")
    return known[name]


def own_board(path, source):
    path = Path(path).absolute()
    config = board_file.read(path, source)
    listed = _read(path)
    return dataclasses.replace(listed, machine=config["machine"], config=config)


def _read(path):
    """Name, machine and the leading comment lines of a board's kas file."""
    comments, machine = [], ""
    for line in path.read_text().splitlines():
        if line.startswith("#") and not machine:
            text = line.lstrip("#").strip()
            if text and not text.startswith("yaml-language-server"):
                comments.append(text)
        elif line.startswith("machine:"):
            machine = line.split(":", 1)[1].strip()
    description = comments[0] if comments else ""
    return Board(path.stem, machine, description, tuple(comments[1:]), path)
