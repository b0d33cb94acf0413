"""The example notebooks of docs/notebooks, executed with nbclient against real
sim servers, in a kernel of this environment's Python; those written in
PYNQ's style run a second time with the official pynq 4.0.0 (.venv-pynq)
over the PYNQ.remote compatibility services, ``pynq_remote`` replaced by
``pynq`` in their code, as docs/migration.md says to."""

import json
import shutil
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

import pynq_remote
from compat_support import CompatServer, pynq_python
from pynq_remote.design import load_design
from pynq_remote.design.deploy import deploy
from pynq_remote.tools.server import LocalServer
from shared_data import overlay_file

pytestmark = [pytest.mark.integration, pytest.mark.docs]

NOTEBOOKS = Path(__file__).resolve().parents[1] / "docs" / "notebooks"
KERNEL_NAME = "pynq-remote-tests"
PYNQ_KERNEL_NAME = "pynq-4-tests"
# Cells that only pynq_remote has, and cells for the official pynq only (they
# work around its bugs).
PYNQ_REMOTE_ONLY = "pynq-remote-only"
PYNQ_ONLY = "pynq-only"


def write_kernel_spec(jupyter_dir, name, python):
    spec_dir = jupyter_dir / "kernels" / name
    spec_dir.mkdir(parents=True)
    (spec_dir / "kernel.json").write_text(json.dumps({
        "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": name, "language": "python"}))


@pytest.fixture
def kernel(tmp_path, monkeypatch):
    """A kernel spec of our own naming this Python, first on JUPYTER_PATH, so the
    kernel is the one of .venv (with pynq_remote) whatever kernels the machine has."""
    write_kernel_spec(tmp_path / "jupyter", KERNEL_NAME, sys.executable)
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path / "runtime"))
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    return KERNEL_NAME


@pytest.fixture
def pynq_kernel(kernel, tmp_path):
    """A kernel of .venv-pynq, where the official pynq 4.0.0 is."""
    write_kernel_spec(tmp_path / "jupyter", PYNQ_KERNEL_NAME, pynq_python())
    return PYNQ_KERNEL_NAME


@pytest.fixture
def compat_server(tmp_path):
    pynq_python()  # install first: a failure is a failure, not a skip
    with CompatServer(tmp_path / "server.log") as server:
        yield server


@pytest.fixture
def overlays(monkeypatch):
    monkeypatch.setenv("PYNQ_REMOTE_OVERLAY",
                       str(overlay_file("ultra96v2_axi_dma_gpio/Accumulator_bd_wrapper.xsa")))
    monkeypatch.setenv("PYNQ_REMOTE_BASE_OVERLAY", str(overlay_file("pynqz2_base_v2.4/base.bit")))


def run_notebook(name, kernel, with_pynq=False):
    """Executes the notebook; returns the text each code cell printed, in order.
    ``with_pynq``: as a pynq user would run it, ``pynq_remote`` -> ``pynq``."""
    path = NOTEBOOKS / f"{name}.ipynb"
    notebook = nbformat.read(path, as_version=4)
    skipped = PYNQ_REMOTE_ONLY if with_pynq else PYNQ_ONLY
    notebook.cells = [as_pynq(cell) if with_pynq else cell for cell in notebook.cells
                      if skipped not in cell.metadata.get("tags", [])]
    client = NotebookClient(notebook, kernel_name=kernel, timeout=120,
                            resources={"metadata": {"path": str(NOTEBOOKS)}})
    try:
        client.execute()
    except CellExecutionError as error:
        pytest.fail(f"{path.name}: a cell failed:\n{error}")
    return [printed(cell) for cell in notebook.cells if cell.cell_type == "code"]


def deployed(server, bitstream):
    """Deploys through pynq_remote first: the PYNQ.remote protocol carries no
    address map, and the server reuses the one sent with the same bitstream."""
    with pynq_remote.connect(server.address) as dev:
        deploy(dev, load_design(bitstream))


def as_pynq(cell):
    if cell.cell_type == "code":
        cell.source = cell.source.replace("pynq_remote", "pynq")
    return cell


def printed(cell):
    return "".join(output.get("text", "") for output in cell.outputs
                   if output.output_type == "stream" and output.get("name") == "stdout")


def test_notebooks_are_committed_without_outputs():
    paths = sorted(NOTEBOOKS.glob("*.ipynb"))
    assert [p.stem for p in paths] == ["axi_gpio", "base_overlay", "dma_errors",
                                       "dma_loopback", "getting_started", "hierarchies",
                                       "multi_board"]
    for path in paths:
        notebook = nbformat.read(path, as_version=4)
        nbformat.validate(notebook)
        for cell in notebook.cells:
            if cell.cell_type == "code":
                assert (cell.outputs, cell.execution_count) == ([], None), path.name


def test_getting_started(kernel, overlays, monkeypatch):
    with LocalServer() as server:
        monkeypatch.setenv("PYNQ_REMOTE_DEVICES", server.address)
        out = "".join(run_notebook("getting_started", kernel))
    assert "board sim (sim), backend sim" in out
    assert "loaded: True - Accumulator_bd" in out
    assert "axi_dma_0    0xa0000000 xilinx.com:ip:axi_dma:7.1" in out
    assert "GPIO_TRI = 0x00000000 (through the driver)" in out  # C_ALL_OUTPUTS=1
    assert "4096 bytes at 0x" in out


def test_axi_gpio_sees_the_button_press_on_the_interrupt(kernel, overlays, monkeypatch):
    with LocalServer() as server:
        monkeypatch.setenv("PYNQ_REMOTE_DEVICES", server.address)
        out = run_notebook("axi_gpio", kernel)
    assert "LEDs: 0110" in out[1]
    assert "interrupt: GIC line 61, controller input 13" in out[3]
    assert "buttons: 0010" in out[3]
    assert "LEDs: 0010" in out[4]


def test_dma_loopback_returns_the_data(kernel, overlays, monkeypatch):
    with LocalServer() as server:
        monkeypatch.setenv("PYNQ_REMOTE_DEVICES", server.address)
        out = "".join(run_notebook("dma_loopback", kernel))
    assert "AxiDMA at 0xa0000000" in out
    assert "equal: True\nS2MM_LENGTH: 16384 bytes\nidle: True" in out


def test_multi_board_runs_on_every_device(kernel, overlays, monkeypatch):
    with LocalServer() as first, LocalServer() as second:
        monkeypatch.setenv("PYNQ_REMOTE_DEVICES", f"{first.address},{second.address}")
        out = "".join(run_notebook("multi_board", kernel))
    for address, seed in ((first.address, 0), (second.address, 1000)):
        assert f"{address}: Accumulator_bd, " in out
        assert f"{address}: first word {seed}, round trip equal: True" in out
    assert out.count("loaded: True") == 2


def test_a_failing_cell_fails_the_run(kernel, overlays, monkeypatch):
    """Against no server, the first cell that connects fails, and the run says so."""
    monkeypatch.setenv("PYNQ_REMOTE_DEVICES", "127.0.0.1:1")
    with pytest.raises(pytest.fail.Exception, match="getting_started.ipynb: a cell failed"):
        run_notebook("getting_started", kernel)


HIERARCHIES_OUTPUT = [
    "hierarchies: iop_arduino, iop_pmoda, iop_pmodb, iop_rpi, trace_analyzer_pi, "
    "trace_analyzer_pmodb, video, video/hdmi_in, video/hdmi_in/frontend, video/hdmi_out, "
    "video/hdmi_out/frontend\nvideo holds: ['hdmi_in', 'hdmi_out'] ['axi_vdma']\n",
    "trace_analyzer_pi: TraceAnalyzer\ncontroller: True\ncolor_convert: ColorConvert\n",
    "matrix: [[1, 0, 0], [0, 2, 0], [0, 0, 3]]\n",
]


def test_hierarchies_with_pynq_remote(kernel, overlays, monkeypatch):
    with LocalServer() as server:
        monkeypatch.setenv("PYNQ_REMOTE_DEVICES", server.address)
        out = run_notebook("hierarchies", kernel)
    assert out[3:6] == HIERARCHIES_OUTPUT
    assert "trace_analyzer_pi    : __main__.TraceAnalyzer" in out[6]
    assert "video                : pynq_remote.design.hierarchy.DefaultHierarchy" in out[6]
    assert out[7] == "GPIO_DATA[3:0] = 1101, bit 1 = 0\nrefused: RegisterError\n"


def test_hierarchies_with_pynq_4(pynq_kernel, overlays, compat_server, monkeypatch):
    deployed(compat_server, overlay_file("pynqz2_base_v2.4/base.bit"))
    monkeypatch.setenv("PYNQ_REMOTE_DEVICES", compat_server.host)
    out = run_notebook("hierarchies", pynq_kernel, with_pynq=True)
    del out[3]  # the cell that works around pynq's clock bug
    assert out[3:6] == HIERARCHIES_OUTPUT
    assert "trace_analyzer_pi    : __main__.TraceAnalyzer" in out[6]
    assert out[7] == "GPIO_DATA[3:0] = 1101, bit 1 = 0\nrefused: ValueError\n"


def test_base_overlay_leds_and_a_button_on_asyncio(kernel, overlays, monkeypatch):
    with LocalServer() as server:
        monkeypatch.setenv("PYNQ_REMOTE_DEVICES", server.address)
        out = run_notebook("base_overlay", kernel)
    assert out == ["4 LEDs, 4 buttons, 2 switches\n", "LEDs: 1001\nRGB LED 4: 2\n",
                   "button 0 pressed; LEDs: 1101\n", "switches: [1, 0]\n"]


def test_dma_errors_with_pynq_remote(kernel, overlays, monkeypatch):
    with LocalServer() as server:
        monkeypatch.setenv("PYNQ_REMOTE_DEVICES", server.address)
        out = run_notebook("dma_errors", kernel)
    assert out[:2] == ["driver is DMA: True\n", "equal: True\n"]
    assert out[2].startswith("caught: DmaError\nDMA S2MM channel reported internal error "
                             "(DMAIntErr) (status 0x")


def test_dma_errors_with_pynq_4(pynq_kernel, compat_server, tmp_path, monkeypatch):
    """pynq looks for NAME.hwh beside NAME.bit: a copy named so."""
    bit = tmp_path / "Accumulator_bd_wrapper.bit"
    shutil.copy(overlay_file("ultra96v2_axi_dma_gpio/Accumulator_bd_wrapper.bit"), bit)
    shutil.copy(overlay_file("ultra96v2_axi_dma_gpio/Accumulator_bd.hwh"),
                bit.with_suffix(".hwh"))
    deployed(compat_server, bit)
    monkeypatch.setenv("PYNQ_REMOTE_OVERLAY", str(bit))
    monkeypatch.setenv("PYNQ_REMOTE_DEVICES", compat_server.host)
    out = run_notebook("dma_errors", pynq_kernel, with_pynq=True)
    assert out[:2] == ["driver is DMA: True\n", "equal: True\n"]
    # pynq 4.0 checks "running" before the error bits, and the engine halts on an error.
    assert out[2] == "caught: RuntimeError\nDMA channel not started\n"
