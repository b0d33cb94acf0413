"""A small PKI for pynq-remote: a CA, board (server) and user (client)
certificates, and bearer tokens.

Client certificates carry their role in the subject's OU (``operator`` or
``reader``), which the board's server reads. Keys are EC P-256, written with
mode 0600; nothing secret is returned for printing.
"""

import dataclasses
import datetime
import getpass
import hashlib
import ipaddress
import os
import secrets
import socket
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from ..connection.credentials import (config_dir, load_config, make_private_dir,
                                      save_config, write_private)
from ..errors import PynqRemoteUserError

ROLES = ("operator", "reader")
CA_YEARS = 10
CERT_YEARS = 3


def pki_dir():
    return config_dir() / "pki"


@dataclasses.dataclass(frozen=True)
class Identity:
    """A certificate and the paths of its files."""

    name: str
    role: str
    cert_path: str
    key_path: str
    fingerprint: str  # sha256 of the certificate's DER, hex

    def as_dict(self):
        return dataclasses.asdict(self)


def _key_pem(key):
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def cert_pem(cert):
    return cert.public_bytes(serialization.Encoding.PEM)


def fingerprint(cert):
    return cert.fingerprint(hashes.SHA256()).hex()


def _name(common_name, unit=None):
    attributes = [x509.NameAttribute(NameOID.ORGANIZATION_NAME, "pynq-remote")]
    if unit:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, unit))
    attributes.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name))
    return x509.Name(attributes)


def _builder(subject, issuer, public_key, years):
    now = datetime.datetime.now(datetime.timezone.utc)
    return (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer)
            .public_key(public_key).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=365 * years)))


class CertificateAuthority:
    """The CA in ``directory`` (``ca.pem``, ``ca.key``)."""

    def __init__(self, directory=None):
        self.directory = Path(directory) if directory else pki_dir()
        self.cert_path = self.directory / "ca.pem"
        self.key_path = self.directory / "ca.key"

    def exists(self):
        return self.cert_path.exists() and self.key_path.exists()

    def create(self, common_name):
        key = ec.generate_private_key(ec.SECP256R1())
        name = _name(common_name)
        cert = (_builder(name, name, key.public_key(), CA_YEARS)
                .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
                .add_extension(x509.KeyUsage(False, False, False, False, False, True, True,
                                             False, False), critical=True)
                .sign(key, hashes.SHA256()))
        make_private_dir(self.directory)
        write_private(self.key_path, _key_pem(key))
        write_private(self.cert_path, cert_pem(cert))

    def load(self):
        if not self.exists():
            raise PynqRemoteUserError(
                f"no CA in {self.directory}: run 'pynq-remote pki init' first")
        cert = x509.load_pem_x509_certificate(self.cert_path.read_bytes())
        key = serialization.load_pem_private_key(self.key_path.read_bytes(), None)
        return cert, key

    def ca_pem(self):
        return self.cert_path.read_bytes()

    def sign(self, subject, public_key, usage, hosts=()):
        """A certificate for ``public_key``: ``usage`` is "client" or "server"."""
        ca_cert, ca_key = self.load()
        purpose = (ExtendedKeyUsageOID.CLIENT_AUTH if usage == "client"
                   else ExtendedKeyUsageOID.SERVER_AUTH)
        builder = (_builder(subject, ca_cert.subject, public_key, CERT_YEARS)
                   .add_extension(x509.BasicConstraints(ca=False, path_length=None),
                                  critical=True)
                   .add_extension(x509.ExtendedKeyUsage([purpose]), critical=False))
        if hosts:
            builder = builder.add_extension(
                x509.SubjectAlternativeName([_general_name(h) for h in hosts]), critical=False)
        return builder.sign(ca_key, hashes.SHA256())

    def issue(self, name, role, stem, usage="client", hosts=(), out=None):
        """Writes ``stem.pem`` and ``stem.key`` for a new key into ``out``
        (default: the CA's folder); returns the ``Identity``."""
        if usage == "client" and role not in ROLES:
            raise PynqRemoteUserError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
        key = ec.generate_private_key(ec.SECP256R1())
        unit = role if usage == "client" else None
        cert = self.sign(_name(name, unit), key.public_key(), usage, hosts)
        out = Path(out) if out else self.directory
        make_private_dir(out)
        cert_path, key_path = out / f"{stem}.pem", out / f"{stem}.key"
        write_private(key_path, _key_pem(key))
        write_private(cert_path, cert_pem(cert))
        return Identity(name, role, str(cert_path), str(key_path), fingerprint(cert))


def _general_name(host):
    try:
        return x509.IPAddress(ipaddress.ip_address(host))
    except ValueError:
        return x509.DNSName(host)


def init_pki(directory=None, name=None, force=False):
    """Creates the CA and this user's operator identity, and records them in
    the config file; returns the ``Identity``."""
    ca = CertificateAuthority(directory)
    if ca.exists() and not force:
        raise PynqRemoteUserError(f"a CA already exists in {ca.directory}; --force replaces "
                                  f"it (boards paired with it must be paired again)")
    name = name or f"{getpass.getuser()}@{socket.gethostname()}"
    ca.create(f"pynq-remote CA of {name}")
    identity = ca.issue(name, "operator", "client")
    config = load_config()
    config["identity"] = {"ca": str(ca.cert_path), "cert": identity.cert_path,
                          "key": identity.key_path}
    save_config(config)
    return identity


def new_token(name, role):
    """A new bearer token and its line for the server's ``--tokens`` file."""
    if role not in ROLES:
        raise PynqRemoteUserError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
    token = secrets.token_urlsafe(32)
    return token, f"{role} {name} {hashlib.sha256(token.encode()).hexdigest()}"
