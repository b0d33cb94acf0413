"""Runs the CLI in-process, as a user would, and returns what they would see."""

import pytest

from pynq_remote.cli import main


def run_cli(capsys, *args):
    """Returns (exit code, stdout, stderr) of ``pynq-remote ARGS``."""
    with pytest.raises(SystemExit) as exit_info:
        main([str(arg) for arg in args])
    out, err = capsys.readouterr()
    return exit_info.value.code, out, err
