"""pynq-remote in other tools: labgrid (``labgrid``) and pytest
(``pytest_plugin``, a ``pytest11`` entry point)."""
