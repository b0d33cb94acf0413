"""The committed Python stubs are exactly what proto/ generates."""

import filecmp
import pathlib
import subprocess
import sys

TOP = pathlib.Path(__file__).resolve().parents[1]


def test_committed_stubs_match_the_protos(tmp_path):
    subprocess.run([TOP / "proto" / "generate-python.sh", tmp_path], check=True,
                   env={"PYTHON": sys.executable, "PATH": "/usr/bin:/bin"})
    for package in ("v1", "compat"):
        generated = tmp_path / "pynq_remote" / package
        committed = TOP / "cli" / "pynq_remote" / package
        names = sorted(p.name for p in generated.iterdir() if p.is_file())
        assert names == sorted(p.name for p in committed.iterdir() if p.is_file())
        match, mismatch, errors = filecmp.cmpfiles(generated, committed, names,
                                                   shallow=False)
        assert mismatch == [] and errors == [], (
            f"stubs differ from proto/: run proto/generate-python.sh ({mismatch + errors})")
