"""The one place where gRPC channels to devices are made.

Channel options, deadlines and (later) credentials live here, so every part of
pynq_remote talks to a device the same way.
"""

import grpc

MAX_MESSAGE_BYTES = 16 * 1024 * 1024
DEFAULT_TIMEOUT_S = 10.0

_OPTIONS = [
    ("grpc.max_send_message_length", MAX_MESSAGE_BYTES),
    ("grpc.max_receive_message_length", MAX_MESSAGE_BYTES),
]


def open_channel(address):
    """Returns a channel to ``address`` (``host:port``)."""
    return grpc.insecure_channel(address, options=_OPTIONS)
