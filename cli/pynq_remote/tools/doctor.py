"""Checks of this host and of devices, each giving one ``Finding``.

``check_host()`` looks at what runs here (Python and package versions,
credentials, what building an image needs); ``check_device(address)`` at one
board (reachable, API version, TLS, clock skew, buffer memory, FPGA state).
A finding that is not ``ok`` says what to do about it::

    from pynq_remote.tools import doctor
    for finding in doctor.check_host() + doctor.check_device("192.168.1.10"):
        print(finding.status, finding.name, finding.detail, finding.fix)
"""

import dataclasses
import importlib.metadata
import ipaddress
import re
import stat
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from cryptography import x509
from grpc_health.v1 import health_pb2

from .. import __version__, imagebuild
from ..board.buffer import list_buffers
from ..connection import addresses, credentials
from ..connection.info import DeviceInfo
from ..devices import connect
from ..errors import ConnectionFailed, DeviceError, PynqRemoteUserError, Unauthenticated
from ..imagebuild.host_check import find_kas
from ..legacy import LegacyDevice
from ..security import pki
from ..v1 import device_pb2

OK, WARN, FAIL = "ok", "warn", "fail"
HOST = "host"

# The wire contract this client speaks: the package of its stubs.
API_VERSION = device_pb2.DESCRIPTOR.package.rsplit(".", 1)[-1]
PACKAGES = ("pynq-remote", "grpcio", "grpcio-health-checking", "protobuf", "cryptography")
MAX_CLOCK_SKEW_S = 2.0
CERT_WARN_DAYS = 30
LOW_BUFFER_FRACTION = 0.1
REACH_TIMEOUT_S = 5.0

PAIR_FIX = ("run 'pynq-remote pki init', then 'pynq-remote pair HOST --code CODE' "
            "with the code the board prints (docs/security.md)")


@dataclasses.dataclass(frozen=True)
class Finding:
    """One check's result: ``status`` is ok, warn or fail; ``fix`` what to do."""

    scope: str  # "host", or the device's host:port
    name: str
    status: str
    detail: str
    fix: str = ""

    def as_dict(self):
        return dataclasses.asdict(self)


class ChecksFailed(PynqRemoteUserError):
    """``pynq-remote doctor`` found something that must be fixed."""

    exit_code = 5


def failed(findings):
    return [f for f in findings if f.status == FAIL]


# --- host ------------------------------------------------------------------

def check_host():
    """Every host check, in the order ``doctor`` prints them."""
    return [check_python(), check_packages(), *check_credentials(), check_image_build()]


def _version_tuple(text):
    return tuple(int(part) for part in re.findall(r"\d+", text)[:3])


def _minimums():
    """``{distribution: minimum version}`` from pynq-remote's own requirements."""
    found = {}
    for requirement in importlib.metadata.requires("pynq-remote") or ():
        match = re.fullmatch(r"([A-Za-z0-9_.-]+)\s*>=\s*([0-9.]+)", requirement.strip())
        if match:
            found[match.group(1).lower()] = match.group(2)
    return found


def check_python():
    needed = importlib.metadata.metadata("pynq-remote").get("Requires-Python", "")
    version = ".".join(map(str, sys.version_info[:3]))
    minimum = needed.removeprefix(">=")
    if minimum and sys.version_info[:3] < _version_tuple(minimum):
        return Finding(HOST, "python", FAIL, f"Python {version}, pynq-remote needs {needed}",
                       f"install Python {minimum} or later and reinstall pynq-remote")
    return Finding(HOST, "python", OK, f"Python {version} ({sys.executable})")


def check_packages():
    minimums = _minimums()
    installed, old, missing = [], [], []
    for name in PACKAGES:
        try:
            version = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            missing.append(name)
            continue
        installed.append(f"{name} {version}")
        minimum = minimums.get(name)
        if minimum and _version_tuple(version) < _version_tuple(minimum):
            old.append(f"{name}>={minimum}")
    if missing or old:
        problems = [f"{name} missing" for name in missing] + [f"needs {r}" for r in old]
        wanted = " ".join(f"'{r}'" for r in old + missing)
        return Finding(HOST, "packages", FAIL, ", ".join(problems),
                       f"pip install -U {wanted}")
    return Finding(HOST, "packages", OK, ", ".join(installed))


def check_credentials():
    """The config file, the identity's files, the token files and the CA key."""
    path = credentials.config_path()
    try:
        config = credentials.load_config()
    except PynqRemoteUserError as error:
        return [Finding(HOST, "config", FAIL, error.msg,
                        f"fix or remove {path} (its format: docs/security.md)")]
    findings = [Finding(HOST, "config", OK, str(path) if path.exists()
                        else f"no {path}: devices are reached without TLS")]
    files = credentials.identity_files(config)
    if not any(files.values()):
        findings.append(Finding(HOST, "identity", OK,
                                "none: TLS devices need one ('pynq-remote pki init')"))
    for name, file in files.items():
        if file:
            findings.append(_check_key(name, file) if name == "key"
                            else _check_certificate(name, file))
    for address, device in sorted((config.get("devices") or {}).items()):
        if isinstance(device, dict) and device.get("token_file"):
            findings.append(_check_key(f"token of {address}", device["token_file"]))
    ca_key = pki.CertificateAuthority().key_path
    if ca_key.exists():
        findings.append(_check_key("CA key", ca_key))
    return findings


def _read_bytes(name, path):
    """The file's bytes, or a failing ``Finding`` saying why not."""
    try:
        return path.read_bytes()
    except OSError as error:
        return Finding(HOST, name, FAIL, f"{path}: cannot read: {error.strerror}",
                       "run 'pynq-remote pki init', or correct the path in "
                       f"{credentials.config_path()} or the PYNQ_REMOTE_* variable")


def _check_certificate(name, file):
    path = Path(file).expanduser()
    data = _read_bytes(name, path)
    if isinstance(data, Finding):
        return data
    try:
        cert = x509.load_pem_x509_certificate(data)
    except ValueError:
        return Finding(HOST, name, FAIL, f"{path} is not a PEM certificate",
                       "point the config at the certificate 'pynq-remote pki' wrote")
    now = datetime.now(timezone.utc)
    until = cert.not_valid_after_utc
    detail = f"{path}, valid until {until:%Y-%m-%d}"
    renew = "issue a new one: 'pynq-remote pki client NAME' (the CA: 'pki init --force')"
    if now < cert.not_valid_before_utc:
        return Finding(HOST, name, FAIL, f"{path} is not valid before "
                       f"{cert.not_valid_before_utc:%Y-%m-%d %H:%M} UTC",
                       "check this computer's clock")
    if now > until:
        return Finding(HOST, name, FAIL, f"{path} expired on {until:%Y-%m-%d}", renew)
    if until - now < timedelta(days=CERT_WARN_DAYS):
        return Finding(HOST, name, WARN, f"{detail} (in {(until - now).days} days)", renew)
    return Finding(HOST, name, OK, detail)


def _check_key(name, file):
    """A secret: readable, and by its owner only."""
    path = Path(file).expanduser()
    data = _read_bytes(name, path)
    if isinstance(data, Finding):
        return data
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        return Finding(HOST, name, FAIL,
                       f"{path} is readable by others (mode {mode:04o})",
                       f"chmod 600 {path}")
    return Finding(HOST, name, OK, f"{path} (mode {mode:04o})")


def check_image_build():
    """What ``build-image`` checks before it starts, as one finding."""
    try:
        source = imagebuild.source_dir()
        imagebuild.check_host(imagebuild.default_out_dir(source))
    except PynqRemoteUserError as error:
        return Finding(HOST, "image build", WARN, "build-image cannot run here", error.msg)
    return Finding(HOST, "image build", OK, f"kas {find_kas()}, "
                   f"tools, locale and disk space present")


# --- device ----------------------------------------------------------------

def check_device(address):
    """Every device check; only ``reachable`` when the device cannot be reached."""
    address = addresses.parse_address(address)
    try:
        device = connect(address)
    except PynqRemoteUserError as error:
        return [Finding(address, "credentials", FAIL, error.msg, PAIR_FIX)]
    try:
        reachable = check_reachable(device)
        if reachable.status == FAIL:
            return [reachable]
        if isinstance(device, LegacyDevice):
            return [reachable, Finding(address, "api", FAIL,
                                       "the server speaks only the PYNQ.remote protocol",
                                       "flash a pynq-remote image (docs/image-build.md)")]
        return [reachable, *_check_reached(device)]
    finally:
        device.close()


def _check_reached(device):
    try:
        device_info, skew_s = timed_info(device)
        return [check_api(device.address, device_info), check_tls(device.address),
                check_clock(device.address, skew_s),
                check_buffer_memory(device, device_info),
                check_fpga(device.address, device_info)]
    except DeviceError as error:
        return [Finding(device.address, "info", FAIL, error.msg,
                        "see the board's server log")]


def check_reachable(device):
    try:
        start = time.perf_counter()
        device.call(device.health.Check, health_pb2.HealthCheckRequest(),
                    timeout=REACH_TIMEOUT_S)
        rtt_ms = (time.perf_counter() - start) * 1000
    except ConnectionFailed as error:
        return Finding(device.address, "reachable", FAIL, error.msg,
                       "check that the board is powered and on the network, that "
                       "pynq-remote-server runs on it, and the address and port (-d)")
    except Unauthenticated as error:
        return Finding(device.address, "reachable", FAIL, error.msg, PAIR_FIX)
    except DeviceError as error:
        return Finding(device.address, "reachable", FAIL, error.msg,
                       "see the board's server log")
    return Finding(device.address, "reachable", OK, f"health check in {rtt_ms:.1f} ms")


def timed_info(device):
    """The ``DeviceInfo``, and the server's clock minus ours at the middle of
    the call, in seconds (None when the server does not report its clock)."""
    sent = time.time()
    response = device.call(device.device.GetInfo, device_pb2.GetInfoRequest())
    received = time.time()
    skew_s = None
    if response.server_time_unix_ms:
        skew_s = response.server_time_unix_ms / 1000 - (sent + received) / 2
    return DeviceInfo.from_pb2(response), skew_s


def check_api(address, device_info):
    detail = (f"api {device_info.api_version}, server {device_info.server_version}, "
              f"client {__version__}")
    if device_info.api_version != API_VERSION:
        return Finding(address, "api", FAIL, f"{detail}: this client speaks {API_VERSION}",
                       f"install the pynq-remote that speaks {device_info.api_version}, "
                       f"or update the board's image")
    if device_info.server_version != __version__:
        return Finding(address, "api", WARN, f"{detail}: compatible, but features of "
                       "the newer one may be missing", "update the older side")
    return Finding(address, "api", OK, detail)


def _is_loopback(address):
    host = address.rsplit(":", 1)[0].strip("[]")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_tls(address):
    creds = credentials.credentials_for(address)
    token = ", bearer token" if creds.token else ""
    if creds.tls:
        return Finding(address, "tls", OK, f"mutual TLS{token}")
    if _is_loopback(address):
        return Finding(address, "tls", OK, f"plain, on loopback{token}")
    return Finding(address, "tls", WARN,
                   f"unencrypted over the network{token}: anyone on it can read and "
                   "drive the board", PAIR_FIX)


def check_clock(address, skew_s):
    if skew_s is None:
        return Finding(address, "clock", WARN, "the server does not report its clock",
                       "update the board's image")
    detail = f"board is {abs(skew_s):.3f} s {'ahead' if skew_s >= 0 else 'behind'}"
    if abs(skew_s) > MAX_CLOCK_SKEW_S:
        return Finding(address, "clock", WARN,
                       f"{detail}: certificate validity and bitstream times depend on it",
                       "set the board's clock (NTP, or 'date -s' on its console) "
                       "or this computer's")
    return Finding(address, "clock", OK, detail)


def check_buffer_memory(device, device_info):
    if "buffers" not in device_info.capabilities:
        return Finding(device.address, "buffers", WARN,
                       "the board has no buffer memory: allocate() fails",
                       "give the board a buffer pool in its board config "
                       "(target-server/README.md)")
    _, pool = list_buffers(device)
    free_mib, size_mib = pool.free_bytes / 2**20, pool.size / 2**20
    detail = f"{free_mib:.1f} MiB free of {size_mib:.1f} MiB ({pool.provider})"
    fix = ("see who holds it with 'pynq-remote buffers'; close those clients or "
           "'pynq-remote buffers free HANDLE'")
    if pool.free_bytes == 0:
        return Finding(device.address, "buffers", FAIL, detail, fix)
    if pool.free_bytes < LOW_BUFFER_FRACTION * pool.size:
        return Finding(device.address, "buffers", WARN, detail, fix)
    return Finding(device.address, "buffers", OK, detail)


def check_fpga(address, device_info):
    fpga = device_info.fpga
    if fpga.state == "operating":
        design = f", design {fpga.design_name}" if fpga.design_name else ""
        return Finding(address, "fpga", OK, f"operating{design}")
    fixes = {
        "unprogrammed": "load a design: 'pynq-remote deploy FILE'",
        "programming": "wait for the programming to finish, then check again",
    }
    return Finding(address, "fpga", WARN, f"{fpga.state} ({fpga.manager_state or 'no state'})",
                   fixes.get(fpga.state, "check the board's FPGA manager "
                             "(/sys/class/fpga_manager) and the server log"))
