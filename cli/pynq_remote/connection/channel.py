"""The one place where gRPC channels to devices are made.

Channel options, deadlines and credentials live here, so every part of
pynq_remote talks to a device the same way.
"""

import collections
import ipaddress

import grpc

from ..errors import PynqRemoteUserError
from .credentials import credentials_for

MAX_MESSAGE_BYTES = 16 * 1024 * 1024
DEFAULT_TIMEOUT_S = 10.0

CHANNEL_OPTIONS = [
    ("grpc.max_send_message_length", MAX_MESSAGE_BYTES),
    ("grpc.max_receive_message_length", MAX_MESSAGE_BYTES),
    # Device.call() retries what is safe to repeat after a lost connection;
    # gRPC's own retries would cost every call a buffering filter.
    ("grpc.enable_retries", 0),
    # A fixed receive window of 1 MiB (one buffer chunk) per stream instead
    # of gRPC's BDP-grown one: a buffer read then holds at most about one
    # chunk in gRPC beside the numpy copy (peak RSS 1.6x instead of 2.5-3.2x
    # the buffer at 16 MiB, docs/performance.md), still 1 GB/s at 1 ms RTT.
    ("grpc.http2.bdp_probe", 0),
    ("grpc.http2.lookahead_bytes", 1 << 20),
]


class _CallDetails(collections.namedtuple(
        "_CallDetails", ("method", "timeout", "metadata", "credentials", "wait_for_ready",
                         "compression")), grpc.ClientCallDetails):
    pass


class _BearerToken(grpc.UnaryUnaryClientInterceptor, grpc.UnaryStreamClientInterceptor,
                   grpc.StreamUnaryClientInterceptor, grpc.StreamStreamClientInterceptor):
    """Adds ``authorization: Bearer TOKEN`` to every call, TLS or not."""

    def __init__(self, token):
        self._metadata = ("authorization", f"Bearer {token}")

    def _details(self, details):
        return _CallDetails(details.method, details.timeout,
                            [*(details.metadata or ()), self._metadata], details.credentials,
                            details.wait_for_ready, details.compression)

    def intercept_unary_unary(self, continuation, details, request):
        return continuation(self._details(details), request)

    def intercept_unary_stream(self, continuation, details, request):
        return continuation(self._details(details), request)

    def intercept_stream_unary(self, continuation, details, requests):
        return continuation(self._details(details), requests)

    def intercept_stream_stream(self, continuation, details, requests):
        return continuation(self._details(details), requests)


def open_channel(address, credentials=None):
    """Returns a channel to ``address`` (``host:port``).

    ``credentials`` (a ``Credentials``) default to what the config file and
    the environment say for that address.
    """
    if credentials is None:
        credentials = credentials_for(address)
    if credentials.token and not credentials.tls:
        _check_plain_text_token(address)
    if credentials.tls:
        ssl = grpc.ssl_channel_credentials(credentials.ca, credentials.key, credentials.cert)
        options = list(CHANNEL_OPTIONS)
        if credentials.server_name:
            options.append(("grpc.ssl_target_name_override", credentials.server_name))
        channel = grpc.secure_channel(address, ssl, options=options)
    else:
        channel = grpc.insecure_channel(address, options=CHANNEL_OPTIONS)
    if credentials.token:
        channel = grpc.intercept_channel(channel, _BearerToken(credentials.token))
    return channel


def is_literal_loopback(host):
    """Whether ``host`` (brackets allowed) is a loopback IP address as written:
    a name, even ``localhost``, may resolve elsewhere."""
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _check_plain_text_token(address):
    """A bearer token over plain text is a reusable credential handed to
    whoever answers at ``address``: only a literal loopback address gets one."""
    host = address.rpartition(":")[0]
    if not is_literal_loopback(host):
        raise PynqRemoteUserError(
            f"refusing to send a bearer token to {address} without TLS: anyone "
            f"who answers at that address could reuse it. Set 'tls: true' for "
            f"this device in the config (or PYNQ_REMOTE_TLS=1), or run "
            f"'pynq-remote pair {address}'")
