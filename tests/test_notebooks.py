"""The example notebooks of docs/notebooks, executed with nbclient against real
sim servers, in a kernel of this environment's Python."""

import json
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from pynq_remote.tools.server import LocalServer
from shared_data import overlay_file

pytestmark = [pytest.mark.integration, pytest.mark.docs]

NOTEBOOKS = Path(__file__).resolve().parents[1] / "docs" / "notebooks"
KERNEL_NAME = "pynq-remote-tests"


@pytest.fixture
def kernel(tmp_path, monkeypatch):
    """A kernel spec of our own naming this Python, first on JUPYTER_PATH, so the
    kernel is the one of .venv (with pynq_remote) whatever kernels the machine has."""
    spec_dir = tmp_path / "jupyter" / "kernels" / KERNEL_NAME
    spec_dir.mkdir(parents=True)
    (spec_dir / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "pynq-remote tests", "language": "python"}))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path / "runtime"))
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    return KERNEL_NAME


@pytest.fixture
def overlays(monkeypatch):
    monkeypatch.setenv("PYNQ_REMOTE_OVERLAY",
                       str(overlay_file("ultra96v2_axi_dma_gpio/Accumulator_bd_wrapper.xsa")))
    monkeypatch.setenv("PYNQ_REMOTE_BASE_OVERLAY", str(overlay_file("pynqz2_base_v2.4/base.bit")))


def run_notebook(name, kernel):
    """Executes the notebook; returns the text each code cell printed, in order."""
    path = NOTEBOOKS / f"{name}.ipynb"
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, kernel_name=kernel, timeout=120,
                            resources={"metadata": {"path": str(NOTEBOOKS)}})
    try:
        client.execute()
    except CellExecutionError as error:
        pytest.fail(f"{path.name}: a cell failed:\n{error}")
    return [printed(cell) for cell in notebook.cells if cell.cell_type == "code"]


def printed(cell):
    return "".join(output.get("text", "") for output in cell.outputs
                   if output.output_type == "stream")


def test_notebooks_are_committed_without_outputs():
    paths = sorted(NOTEBOOKS.glob("*.ipynb"))
    assert [p.stem for p in paths] == ["axi_gpio", "dma_loopback", "getting_started",
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
    # axi_gpio_1 is all outputs (C_ALL_OUTPUTS 1): its TRI reads 0.
    assert "GPIO_TRI = 0x00000000 (through the driver)" in out
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
