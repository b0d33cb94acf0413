"""pytest plugin: board fixtures and markers for tests of a design.

Installed with pynq-remote (the ``pytest11`` entry point), so every pytest
run has:

- ``pynq_device``: the board of ``--pynq-device HOST[:PORT]`` or, without
  it, the first of ``PYNQ_REMOTE_DEVICES``, connected once per session with
  the usual credentials. With neither, a test using it errors: a run that
  forgot its board must not pass.
- ``sim_device``: a sim board of its own, a ``pynq-remote-server`` started
  on a free loopback port for the session and stopped after it.
- ``overlay``: ``overlay(path)`` deploys a ``.bit`` (with its ``.hwh``) or
  ``.xsa`` onto the test's device and returns the ``Overlay``.
- markers ``pynq_board(*names)``, ``pynq_design(*names)`` and
  ``pynq_capability(*names)``: skip the test, saying why, when its device is
  none of those boards, has none of those designs loaded, or lacks one of
  those capabilities.

A test's device is ``sim_device`` when it uses that fixture, else
``pynq_device``.
"""

import os

import pytest

from ..connection.addresses import DEVICES_ENV, default_address, parse_address
from ..design.overlay import Overlay
from ..devices import connect
from ..errors import PynqRemoteError
from ..tools.server import LocalServer

MARKERS = {
    "pynq_board": "pynq_board(*names): skip unless the device is one of these boards",
    "pynq_design": "pynq_design(*names): skip unless one of these designs is loaded",
    "pynq_capability": "pynq_capability(*names): skip unless the device has all of these",
}


def pytest_addoption(parser):
    group = parser.getgroup("pynq-remote")
    group.addoption("--pynq-device", metavar="HOST[:PORT]", default=None,
                    help=f"the board of the pynq_device fixture (default: the first "
                         f"of ${DEVICES_ENV})")


def pytest_configure(config):
    for line in MARKERS.values():
        config.addinivalue_line("markers", f"{line} (pynq-remote)")


def device_address(config):
    """The board of ``--pynq-device``, else of ``PYNQ_REMOTE_DEVICES``."""
    option = config.getoption("pynq_device")
    if not option and not os.environ.get(DEVICES_ENV, "").strip(" ,"):
        pytest.fail(f"pynq_device: no device given: pass --pynq-device HOST[:PORT] "
                    f"or set {DEVICES_ENV}", pytrace=False)
    try:
        return parse_address(option) if option else default_address()
    except PynqRemoteError as error:
        pytest.fail(f"pynq_device: {error.msg}", pytrace=False)


def connect_checked(address, fixture):
    """A connected ``Device``, or a test failure naming the unreachable board."""
    device = None
    try:
        device = connect(address)
        device.info()
    except PynqRemoteError as error:
        if device is not None:
            device.close()
        pytest.fail(f"{fixture}: {error.msg}", pytrace=False)
    return device


@pytest.fixture(scope="session")
def pynq_device(pytestconfig):
    """The board under test (``--pynq-device`` or ``PYNQ_REMOTE_DEVICES``)."""
    device = connect_checked(device_address(pytestconfig), "pynq_device")
    yield device
    device.close()


@pytest.fixture(scope="session")
def sim_device():
    """A sim board: a real pynq-remote-server, for this session."""
    try:
        server = LocalServer()
        server.start()
    except PynqRemoteError as error:
        pytest.fail(f"sim_device: {error.msg}", pytrace=False)
    try:
        device = connect_checked(server.address, "sim_device")
        yield device
        device.close()
    finally:
        server.stop()


def device_under_test(request):
    """The device the test runs on: ``sim_device`` if it uses it, else ``pynq_device``."""
    name = "sim_device" if "sim_device" in request.fixturenames else "pynq_device"
    return request.getfixturevalue(name)


@pytest.fixture
def overlay(request):
    """``overlay(path)`` deploys a design onto the test's device."""
    device = device_under_test(request)

    def deploy(path, **options):
        return Overlay(path, device=device, **options)
    return deploy


@pytest.fixture(autouse=True)
def _pynq_requirements(request):
    """Skips a test whose markers ask for what its device lacks."""
    markers = [m for m in request.node.iter_markers() if m.name in MARKERS]
    if not markers:
        return
    device = device_under_test(request)
    info = device.info()
    for marker in markers:
        reason = unmet(marker, info, device.address)
        if reason:
            pytest.skip(reason)


def unmet(marker, info, address):
    """Why the device at ``address`` fails ``marker``, or None when it meets it."""
    names = marker.args
    if not names or not all(isinstance(name, str) for name in names):
        pytest.fail(f"@pytest.mark.{marker.name} needs one or more names, got {names!r}",
                    pytrace=False)
    wanted = " or ".join(repr(name) for name in names)
    if marker.name == "pynq_board" and info.board not in names:
        return f"needs board {wanted}; {address} is board {info.board!r}"
    if marker.name == "pynq_design" and info.fpga.design_name not in names:
        loaded = repr(info.fpga.design_name) if info.fpga.design_name else "no design"
        return f"needs design {wanted} loaded; {address} has {loaded}"
    if marker.name == "pynq_capability":
        missing = [name for name in names if name not in info.capabilities]
        if missing:
            return (f"needs capability {', '.join(repr(m) for m in missing)}; {address} "
                    f"has {', '.join(info.capabilities) or 'none'}")
    return None
