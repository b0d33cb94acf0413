"""What a CLI command works with: the chosen device and how to print results."""

import json

from rich.console import Console

from ..connection.addresses import default_addresses
from ..devices import connect


class Context:
    """Built once per command from the shared options; passed in ``ctx.obj``."""

    def __init__(self, device_address=None, as_json=False):
        self.device_address = device_address
        self.device_addresses = ()
        self.as_json = as_json
        self.console = Console(highlight=False)
        self._device = None

    @property
    def device(self):
        """The connected device; ``-d`` or else ``PYNQ_REMOTE_DEVICES``."""
        if self._device is None:
            self._device = connect(self.device_address)
        return self._device

    def devices(self):
        """Every device of ``-d`` (repeatable), else of ``PYNQ_REMOTE_DEVICES``."""
        return [connect(a) for a in self.device_addresses or default_addresses()]

    def show(self, data, render):
        """Prints ``data`` as JSON with ``--json``, else calls ``render(console)``."""
        if self.as_json:
            print(json.dumps(data, indent=2))
        else:
            render(self.console)
