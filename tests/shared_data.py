"""Where the tests find ../shared: the overlay sets kept beside the repository.

``PYNQ_REMOTE_SHARED`` overrides the location (a clone elsewhere than
beside ``shared/``). A missing file fails the test, loudly.
"""

import os
from pathlib import Path

import pytest

SHARED = Path(os.environ.get("PYNQ_REMOTE_SHARED",
                             Path(__file__).resolve().parents[2] / "shared"))
OVERLAYS = SHARED / "testdata" / "overlays"


def overlay_file(name):
    """A file of the shared overlay sets."""
    path = OVERLAYS / name
    if not path.is_file():
        pytest.fail(f"test data missing: {path} (the overlay sets live in "
                    f"shared/testdata/overlays beside the repository, or set "
                    f"PYNQ_REMOTE_SHARED)")
    return path
