"""The path labgrid environments import: ``imports: [pynq_remote.labgrid]``.

The integration lives in ``pynq_remote.integrations.labgrid``.
"""

from .integrations.labgrid import PynqRemoteDevice, PynqRemoteDriver, PynqRemoteStrategy

__all__ = ["PynqRemoteDevice", "PynqRemoteDriver", "PynqRemoteStrategy"]
