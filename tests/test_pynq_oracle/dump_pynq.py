"""Run by tests/test_pynq_oracle.py in .venv-pynq: parses each .hwh given on the
command line with pynq 4.0.0's own parser (what ``pynq.Overlay`` uses for a full
bitstream) and prints PYNQ's dictionaries as one JSON object, keyed by path."""

import json
import sys

from pynq.metadata.runtime_metadata_parser import RuntimeMetadataParser
from pynqmetadata.frontends import Metadata

DICTS = ("ip_dict", "hierarchy_dict", "gpio_dict", "interrupt_controllers",
         "interrupt_pins", "mem_dict", "clock_dict")
# Entries that hold live objects rather than data.
SKIPPED_KEYS = ("device", "driver", "overlay")


def plain(value):
    """JSON-able data: sets sorted into lists, other objects as their repr."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items() if k not in SKIPPED_KEYS}
    if isinstance(value, (set, frozenset)):
        return sorted(plain(v) for v in value)
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return repr(value)


def main(paths):
    result = {}
    for path in paths:
        parser = RuntimeMetadataParser(Metadata(input=path))
        result[path] = {name: plain(getattr(parser, name)) for name in DICTS}
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1:])
