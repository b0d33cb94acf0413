"""The pairing code an unpaired server prints, read from its log."""

import re
import time


def pairing_code(log, timeout=10.0):
    """The ``FINGERPRINT-SECRET`` code in the server log file ``log``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        match = re.search(r"pynq-remote pair \S+ --code ([0-9a-f]{8}-\d{6})", log.read_text())
        if match:
            return match.group(1)
        time.sleep(0.05)
    raise AssertionError(f"no pairing code in {log.read_text()!r}")
