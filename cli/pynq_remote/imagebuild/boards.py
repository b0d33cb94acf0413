"""The boards pynq-remote builds images for: one kas file each in ``kas/``."""

import dataclasses
import os
from pathlib import Path

from ..errors import PynqRemoteUserError

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

    def as_dict(self):
        return {"name": self.name, "machine": self.machine,
                "description": self.description, "notes": list(self.notes),
                "kas_file": str(self.kas_file)}


def source_dir():
    """The pynq-remote checkout: ``$PYNQ_REMOTE_SOURCE``, else the one this package runs from."""
    configured = os.environ.get("PYNQ_REMOTE_SOURCE")
    path = Path(configured) if configured else Path(__file__).resolve().parents[3]
    if not (path / "kas" / COMMON_FILE).is_file():
        raise SourceNotFound(
            f"no kas/{COMMON_FILE} in {path}: build-image runs from a pynq-remote "
            f"checkout (pip install -e .), or set PYNQ_REMOTE_SOURCE to one")
    return path


def boards(source=None):
    """Every board with a kas file, by name."""
    kas_dir = (source or source_dir()) / "kas"
    found = [_read(path) for path in sorted(kas_dir.glob("*.yml"))
             if path.name != COMMON_FILE]
    return {board.name: board for board in found}


def board(name, source=None):
    known = boards(source)
    if name not in known:
        raise UnknownBoard(f"no board '{name}': choose one of {', '.join(known)} "
                           f"(pynq-remote build-image --list)")
    return known[name]


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
