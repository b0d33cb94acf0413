"""The connection to one board: where it is (``addresses``, ``discovery``),
with which credentials (``credentials``), the gRPC channel every call goes
through (``channel``), the ``Device`` with its session (``device``,
``session``) and what the board says of itself (``info``).

Nothing here knows the resources built on it (``pynq_remote.board``) or the
PYNQ.remote protocol (``pynq_remote.legacy``).
"""
