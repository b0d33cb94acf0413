"""A client session on a device, kept alive by a background lease renewal.

What a client reserves on the board (buffers) belongs to its session. The
server frees it when the session is closed, or when the lease runs out
because this process died or lost the network.
"""

import atexit
import logging
import os
import socket
import threading

from ..errors import ConnectionFailed, NotFound
from ..v1 import session_pb2

log = logging.getLogger(__name__)


def client_name():
    """``user@host pid N``, shown to operators in buffer listings."""
    try:
        user = os.getlogin()
    except OSError:
        user = os.environ.get("USER", "unknown")
    return f"{user}@{socket.gethostname()} pid {os.getpid()}"


class Session:
    """Opens a session on ``device`` and renews its lease until ``close()``."""

    def __init__(self, device, lease_s=10.0):
        response = device.call(device.sessions.OpenSession, session_pb2.OpenSessionRequest(
            client_name=client_name(), lease_ms=round(lease_s * 1000)))
        self.device = device
        self.id = response.session_id
        self.lease_s = response.lease_ms / 1000
        self._closed = threading.Event()
        self._renewer = threading.Thread(target=self._renew_until_closed,
                                         name="pynq-remote-lease", daemon=True)
        self._renewer.start()
        atexit.register(self.close)  # free the board's memory now, not after the lease

    def _renew_until_closed(self):
        request = session_pb2.RenewSessionRequest(session_id=self.id)
        while not self._closed.wait(self.lease_s / 3):
            try:
                self.device.call(self.device.sessions.RenewSession, request,
                                 timeout=self.lease_s / 3)
            except ConnectionFailed as error:
                log.warning("could not renew session lease: %s", error.msg)
            except NotFound:
                self._lost()
                return

    def _lost(self):
        """The server no longer knows this session: it restarted, or the lease ran out."""
        if self._closed.is_set():
            return
        self._closed.set()
        atexit.unregister(self.close)
        log.warning("session on %s ended on the server (it restarted, or this client "
                    "stopped renewing the lease); its buffers are gone, and the next "
                    "allocation opens a new session", self.device.address)

    def check(self):
        """Renews the lease now; returns False (and ends this object) when the
        server no longer knows the session."""
        if self._closed.is_set():
            return False
        try:
            self.device.call(self.device.sessions.RenewSession,
                             session_pb2.RenewSessionRequest(session_id=self.id))
        except NotFound:
            self._lost()
            return False
        return True

    @property
    def closed(self):
        return self._closed.is_set()

    def close(self):
        """Closes the session; the server frees everything it owns."""
        if self._closed.is_set():
            return
        self._closed.set()
        atexit.unregister(self.close)
        self._renewer.join()
        try:
            self.device.call(self.device.sessions.CloseSession,
                             session_pb2.CloseSessionRequest(session_id=self.id))
        except (ConnectionFailed, NotFound):
            pass  # gone already: the lease frees what it held
