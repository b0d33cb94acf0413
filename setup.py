"""Puts pynq-remote's non-Python files into the wheel as pynq_remote/share/.

The commands need them installed (docs/install.md): build-image uses the kas
files and the layer in place, the server is built from its sources on first
use, emulate cross-builds from them. pyproject.toml holds everything else.
"""

import os
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

TOP = Path(__file__).resolve().parent
SHARED_TREES = ("kas", "meta-pynq-remote", "target-server", "proto", "extensions")
# Build output, caches, and what the installed commands never use.
LEFT_OUT = shutil.ignore_patterns("build", "build-*", "__pycache__", "*.pyc",
                                  "node_modules", "releases", "tests", "fuzz",
                                  "sanitizers", ".*")


class BuildPyWithShare(build_py):
    def run(self):
        super().run()
        if self.editable_mode:  # an editable install finds them in the checkout
            return
        share = Path(self.build_lib) / "pynq_remote" / "share"
        for tree in SHARED_TREES:
            target = share / tree
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(TOP / tree, target, ignore=LEFT_OUT, symlinks=False)
            os.utime(target)


setup(cmdclass={"build_py": BuildPyWithShare})
