"""The documentation site: `mkdocs build --strict` (any broken link, missing
page or docstring problem fails it) and the pages it generates."""

import re
import subprocess
import sys
from pathlib import Path

import click
import pytest

from pynq_remote.cli import cli

pytestmark = pytest.mark.docs

TOP = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=TOP, capture_output=True, text=True, timeout=300,
        env={"PATH": str(Path(sys.executable).parent), "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 0, f"mkdocs build --strict failed:\n{result.stderr}"
    return out


def page(site, path):
    return (site / path / "index.html").read_text()


def command_paths(group, prefix="pynq-remote"):
    for name, command in group.commands.items():
        yield f"{prefix} {name}"
        if isinstance(command, click.Group):
            yield from command_paths(command, f"{prefix} {name}")


def test_cli_reference_lists_every_registered_command(site):
    html = page(site, "cli-reference")
    paths = list(command_paths(cli))
    assert "pynq-remote mmio read" in paths and "pynq-remote pki token" in paths
    for path in paths:
        assert f'id="{path.replace(" ", "-")}"' in html, path
    assert "--device" in html and "--json" in html


def proto_services():
    for proto in sorted((TOP / "proto").rglob("*.proto")):
        if "node_modules" not in proto.parts:
            yield from re.findall(r"^service (\w+)", proto.read_text(), re.MULTILINE)


def test_protocol_pages_list_every_service_in_proto(site):
    services = list(proto_services())
    assert {"MmioService", "BufferService", "RemoteDevice", "Mmio"} <= set(services)
    index = page(site, "protocol")
    pages = page(site, "protocol/v1") + page(site, "protocol/compat")
    for service in services:
        assert f"<code>{service}</code>" in index, service
        assert re.search(rf'<h3 id="[\w.]*{service}">service {service}', pages), service


def test_protocol_page_carries_the_proto_comments(site):
    html = page(site, "protocol/v1")
    assert 'id="pynq_remote.v1.ReadRequest"' in html
    assert "Returns the server and board description" in html  # DeviceService.GetInfo
    assert 'href="#pynq_remote.v1.GetInfoResponse"' in html


def test_api_reference_is_made_of_the_docstrings(site):
    html = page(site, "api")
    for name in ("pynq_remote.devices.connect", "pynq_remote.board.mmio.MMIO",
                 "pynq_remote.board.buffer.allocate", "pynq_remote.design.overlay.Overlay",
                 "pynq_remote.drivers.axi_dma.AxiDMA", "pynq_remote.board.clocks.Clocks"):
        assert f'id="{name}"' in html, name


def test_notebooks_have_pages_and_their_files(site):
    for name in ("getting_started", "axi_gpio", "dma_loopback", "multi_board"):
        assert (site / "notebooks" / f"{name}.ipynb").is_file()
        assert "Download the notebook" in page(site, f"notebooks/{name}")
    assert "wait_for_interrupt_async" in page(site, "notebooks/axi_gpio")


def test_pages_made_of_repository_files(site):
    assert "pynq-remote-server" in page(site, "server")
    assert 'href="../security/"' in page(site, "threat-model")
    assert "pynq-remote build-image" in page(site, "quickstart")
    assert "PYNQ_REMOTE_DEVICES" in page(site, "migration")
