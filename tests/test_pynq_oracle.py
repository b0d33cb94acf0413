"""An oracle nobody here wrote: every overlay of ../shared/testdata/overlays
parsed by pynq 4.0.0's own parser (in .venv-pynq, tests/test_pynq_oracle/
dump_pynq.py) and by ours, compared key by key.

The differences that remain are each a rule below, and each is listed in
docs/overlays.md ("Compared with pynq 4.0") with its reason; anything else
fails the test with the path of the difference.
"""

import copy
import json
import re
import subprocess
from pathlib import Path

import pytest

from compat_support import pynq_python
from pynq_remote.design.hwh import read_hwh
from shared_data import overlay_file

HWH_FILES = ["pynqz2_base_v2.4/base.hwh", "kr260_dma_ledadder/DMA_LED.hwh",
             "ultra96v2_axi_dma_gpio/Accumulator_bd.hwh"]
DUMPER = Path(__file__).with_name("test_pynq_oracle") / "dump_pynq.py"
PS_TYPES = ("processing_system7", "zynq_ultra_ps_e")


@pytest.fixture(scope="module")
def pynq_dicts():
    paths = [str(overlay_file(name)) for name in HWH_FILES]
    result = subprocess.run([pynq_python(), str(DUMPER), *paths], capture_output=True,
                            text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def compare(path, expected, actual, found):
    """Appends to ``found`` each place where ``actual`` differs from ``expected``."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key in sorted(set(expected) | set(actual), key=str):
            if key not in actual:
                found.append(f"{path}/{key}: only in pynq")
            elif key not in expected:
                found.append(f"{path}/{key}: only here")
            else:
                compare(f"{path}/{key}", expected[key], actual[key], found)
    elif expected != actual:
        found.append(f"{path}: pynq {expected!r}, here {actual!r}")


def ours_as_json(hardware):
    """Our dictionaries with pynq's JSON shape (integer keys become strings)."""
    return json.loads(json.dumps({
        "ip_dict": hardware.ip_dict, "hierarchy_dict": hardware.hierarchy_dict,
        "gpio_dict": hardware.gpio_dict,
        "interrupt_controllers": hardware.interrupt_controllers,
        "interrupt_pins": hardware.interrupt_pins, "mem_dict": hardware.mem_dict,
        "clock_dict": hardware.clock_dict}))


# --- the documented differences (docs/overlays.md) ---------------------------

def without_documented_differences(pynq, ours):
    """Both sides with each documented difference taken out, in place."""
    ps = [k for k, v in pynq["ip_dict"].items() if (v.get("type") or "").split(":")[2:3]
          and v["type"].split(":")[2] in PS_TYPES]
    for key in ps:  # 1. pynq lists the PS itself as an IP
        del pynq["ip_dict"][key]
    for key, entry in pynq["ip_dict"].items():  # 2. pynq adds the bus interface's parameters
        if key in ours["ip_dict"]:
            entry["parameters"] = {k: v for k, v in entry["parameters"].items()
                                   if k in ours["ip_dict"][key]["parameters"]}
    # 3. pynq lists the inputs of xlconcat cells as interrupt pins
    pynq["interrupt_pins"] = {k: v for k, v in pynq["interrupt_pins"].items()
                              if not re.search(r"/In\d+$", k)}
    # 4. pins wired straight to the PS (no AXI interrupt controller): ours only
    direct = [k for k, v in ours["interrupt_pins"].items() if v["controller"] == ""]
    for key in direct:
        del ours["interrupt_pins"][key]
        block, _, pin = key.rpartition("/")
        ours["ip_dict"].get(block, {}).get("interrupts", {}).pop(pin, None)
    for key, entry in pynq["gpio_dict"].items():  # 5. pynq counts the slice's own output
        entry["pins"] = sorted(p for p in entry["pins"] if p != f"{key}/Dout")
    ours["mem_dict"].pop("PSDDR", None)  # 6. the PS DDR window PL masters see: ours only
    for side in (pynq, ours):  # 7. memory entries: compared by where they are
        side["mem_dict"] = {k: {f: v.get(f) for f in ("fullpath", "phys_addr", "addr_range",
                                                     "mem_id")}
                            for k, v in side["mem_dict"].items()}
    for index, clock in pynq["clock_dict"].items():  # 8. clock frequencies and sources
        ours_clock = ours["clock_dict"].get(index, {})
        if clock.get("frequency") is None:
            clock["frequency"] = ours_clock.get("frequency")
        clock.pop("src_sel", None)
    for side in (pynq, ours):  # 9. hierarchies: compared by the names they hold
        side["hierarchy_dict"] = {
            k: {part: sorted(v[part]) for part in ("ip", "hierarchies", "memories",
                                                   "interrupts", "gpio")}
            for k, v in side["hierarchy_dict"].items()}


@pytest.mark.parametrize("name", HWH_FILES)
def test_our_dictionaries_match_pynqs(pynq_dicts, name):
    pynq = copy.deepcopy(pynq_dicts[str(overlay_file(name))])
    ours = ours_as_json(read_hwh(overlay_file(name)))
    without_documented_differences(pynq, ours)
    found = []
    compare(name, pynq, ours, found)
    assert found == []


def test_zynq7000_clock_frequencies_are_none_in_pynq_and_known_here(pynq_dicts):
    """pynq 4.0 reads no frequency from a Zynq-7000 .hwh; ours has the design's."""
    name = "pynqz2_base_v2.4/base.hwh"
    pynq = pynq_dicts[str(overlay_file(name))]["clock_dict"]
    ours = read_hwh(overlay_file(name)).clock_dict
    assert [pynq[str(i)]["frequency"] for i in range(4)] == [None] * 4
    assert [ours[i]["frequency"] for i in range(4)] == [100.0, 142.857132, 200.0, 100.0]
