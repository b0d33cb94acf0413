"""Pairing a fresh board with this host's CA (``pynq-remote pair``).

An unpaired board serves TLS with a throw-away certificate and prints a code
``FINGERPRINT-SECRET``: the first 8 hex digits of that certificate's sha256,
and 6 digits only its console shows. The host checks the fingerprint (it
reached that board), proves the secret, signs the key the board makes with
its CA, and records the board as a TLS device. The board's key never leaves
it; the CA's key never leaves the host. A board paired by its mDNS name
(``pynq-remote discover``) gets that name in its certificate too, so it
keeps answering to the name when its network address changes.
"""

import ipaddress
import re
import ssl
import time

import grpc
from cryptography import x509

from ..connection import addresses
from ..connection.credentials import load_config, save_config
from ..devices import connect
from ..errors import ConnectionFailed, PynqRemoteUserError, from_rpc_error
from ..v1 import pairing_pb2, pairing_pb2_grpc
from .pki import CertificateAuthority, cert_pem, fingerprint

CODE_PATTERN = re.compile(r"^([0-9a-f]{8})-([0-9]{6})$")
PAIRING_SERVER_NAME = "pynq-remote-pairing"
RECONNECT_TIMEOUT_S = 15.0


def _board_certificate(address):
    host, _, port = address.rpartition(":")
    try:
        pem = ssl.get_server_certificate((host.strip("[]"), int(port)), timeout=10)
    except (OSError, ssl.SSLError) as error:
        raise ConnectionFailed(f"cannot reach {address} over TLS to pair: {error}") from None
    return pem.encode()


def _check_fingerprint(address, pem, expected):
    got = fingerprint(x509.load_pem_x509_certificate(pem))
    if not got.startswith(expected):
        raise PynqRemoteUserError(
            f"{address} presents a certificate with fingerprint {got[:8]}, not {expected} "
            f"as in the code: this is not the board that printed it (or the code is "
            f"mistyped)")


def _host_name(address):
    host = address.rpartition(":")[0].strip("[]")
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        return host


def pair(address, code, ca=None):
    """Pairs the board at ``address`` using the ``code`` it printed; returns
    its ``DeviceInfo`` over the new mutual-TLS connection."""
    target = addresses.resolve_target(address)
    address = target.address
    code = code.strip().lower()
    match = CODE_PATTERN.match(code)
    if not match:
        raise PynqRemoteUserError(f"{code!r} is not a pairing code: expected 8 hex digits, "
                                  f"a dash and 6 digits, e.g. 3f9a2c71-482913")
    ca = ca or CertificateAuthority()
    ca.load()  # a clear error before touching the board when there is no CA
    board_pem = _board_certificate(address)
    _check_fingerprint(address, board_pem, match.group(1))
    channel = grpc.secure_channel(
        address, grpc.ssl_channel_credentials(root_certificates=board_pem),
        options=[("grpc.ssl_target_name_override", PAIRING_SERVER_NAME)])
    with channel:
        stub = pairing_pb2_grpc.PairingServiceStub(channel)
        try:
            request = stub.BeginPairing(pairing_pb2.BeginPairingRequest(code=code), timeout=30)
            csr = x509.load_pem_x509_csr(request.certificate_request.encode())
            if not csr.is_signature_valid:
                raise PynqRemoteUserError(f"{address} sent an invalid certificate request")
            hosts = (_host_name(address), target.host_name) if target.host_name else (
                _host_name(address),)
            cert = ca.sign(
                x509.Name([x509.NameAttribute(x509.oid.NameOID.COMMON_NAME, hosts[-1])]),
                csr.public_key(), "server", hosts=hosts)
            stub.CompletePairing(pairing_pb2.CompletePairingRequest(
                code=code, certificate=cert_pem(cert).decode(),
                client_ca=ca.ca_pem().decode()), timeout=30)
        except grpc.RpcError as error:
            raise from_rpc_error(error, address) from None
    _record(target)
    return _wait_for_tls(address)


def _record(target):
    """Records the board as a TLS device under its address and, when paired by
    its mDNS name, under that name too: its certificate also carries its
    announced host name, so the name keeps working when its address changes."""
    config = load_config()
    devices = config.setdefault("devices", {})
    devices[target.address] = {"tls": True}
    if target.name:
        devices[target.name] = {"tls": True, "server_name": target.host_name}
    save_config(config)


def _wait_for_tls(address):
    """The board restarts serving with mutual TLS; wait until it answers."""
    deadline = time.monotonic() + RECONNECT_TIMEOUT_S
    while True:
        try:
            with connect(address) as device:
                return device.info()
        except ConnectionFailed:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
