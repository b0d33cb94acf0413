"""Your own board: a kas file outside pynq-remote that includes
``kas/common.yml`` and names a machine and its layer (docs/image-build.md,
"Your own board"), and the top file kas runs when the layer is used in place.

kas resolves a plain include against the repository of the first file it is
given, and joins only files of one repository. So for an installed
pynq-remote or a board file of the user's, build-image writes one top file
into its work folder: it names pynq-remote's folder as the repository
``pynq-remote`` and includes the board from there.
"""

from pathlib import Path

import yaml

from ..errors import PynqRemoteUserError

REPO_NAME = "pynq-remote"
HEADER_VERSION = 16


class BadBoardFile(PynqRemoteUserError):
    """A board file kas or build-image cannot use."""


class UnknownMachine(PynqRemoteUserError):
    """The board file names a machine no configured layer defines."""


def is_board_file(name):
    """True when build-image's BOARD argument names a file rather than a listed board."""
    return name.endswith((".yml", ".yaml")) or "/" in name


def read(path, source):
    """The board file as a mapping, checked for what build-image needs: a
    machine, and includes only of pynq-remote's kas files (in ``source``)."""
    path = Path(path)
    if not path.is_file():
        raise BadBoardFile(f"board file {path}: no such file")
    try:
        config = yaml.safe_load(path.read_text())
    except yaml.YAMLError as error:
        raise BadBoardFile(f"board file {path} is not YAML: {error}") from error
    if not isinstance(config, dict) or not isinstance(config.get("machine"), str):
        raise BadBoardFile(f"board file {path} names no machine: add a line "
                           f"`machine: NAME` (docs/image-build.md, \"Your own board\")")
    for include in (config.get("header") or {}).get("includes", []):
        if isinstance(include, str) and not (Path(source) / include).is_file():
            raise BadBoardFile(f"board file includes {include}, which is not one of "
                               f"pynq-remote's kas files (e.g. kas/common.yml, "
                               f"kas/mixins/...)")
    return config


def top_file(out_dir, source, name, board_config=None, board_kas_file=None, mixins=()):
    """Writes ``OUT/kas/NAME.yml``, the one file kas is given; returns its path.

    ``board_config`` is an own board file's content, whose includes of
    pynq-remote's kas files become includes from the repository
    ``pynq-remote``; otherwise ``board_kas_file`` (one of pynq-remote's) is
    included. ``mixins`` are pynq-remote's own kas files applied on top.
    """
    source = Path(source)
    if board_config is not None:
        config = dict(board_config)
        header = dict(config.get("header") or {})
        header["includes"] = [include if isinstance(include, dict) else
                              _repo_include(include) for include in header.get("includes", [])]
        header.setdefault("version", HEADER_VERSION)
    else:
        config, header = {}, {"version": HEADER_VERSION, "includes": [
            _repo_include(Path(board_kas_file).relative_to(source))]}
    header["includes"] += [_repo_include(Path(m).relative_to(source)) for m in mixins]
    config["header"] = header
    repos = dict(config.get("repos") or {})
    repos[REPO_NAME] = {**(repos.get(REPO_NAME) or {}), "path": str(source)}
    config["repos"] = repos
    path = Path(out_dir) / "kas" / f"{name}.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"# Written by pynq-remote build-image for {name}; "
                    f"rewritten on every run.\n" + yaml.safe_dump(config, sort_keys=False))
    return path


def _repo_include(relative):
    return {"repo": REPO_NAME, "file": str(relative)}


def layer_machines(config, work_dir, top_dir):
    """Every machine the layers of kas's merged ``config`` (``kas dump``) define."""
    machines = set()
    for name, repo in (config.get("repos") or {}).items():
        repo = repo or {}
        if repo.get("path"):
            repo_dir = Path(work_dir) / repo["path"]  # absolute stays absolute
        elif repo.get("url"):
            repo_dir = Path(work_dir) / name
        else:
            repo_dir = Path(top_dir)
        for layer, setting in (repo.get("layers") or {"": None}).items():
            if setting in ("disabled", "excluded", "n", "no", "0", "false", 0):
                continue
            confs = (repo_dir / layer).glob("conf/machine/*.conf")
            machines |= {conf.stem for conf in confs}
    return machines


def check_machine(machine, config, work_dir, top_dir, board_file):
    """Raises ``UnknownMachine`` with the machines on offer unless one layer has ``machine``."""
    machines = layer_machines(config, work_dir, top_dir)
    if machine not in machines:
        raise UnknownMachine(
            f"no configured layer defines machine '{machine}' ({board_file}); the "
            f"layers offer: {', '.join(sorted(machines))} (add the layer that has it "
            f"under repos: in the board file)")
