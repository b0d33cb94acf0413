"""Hardware handoff files into PYNQ's dictionaries, and load_design over the overlay sets."""

import json
import random
import time

import pytest

from shared_data import overlay_file
from pynq_remote.design import find_hwh, load_design
from pynq_remote.design.hwh import HwhError, UnknownIp, parse_hwh, read_hwh

ULTRA96_HWH = "ultra96v2_axi_dma_gpio/Accumulator_bd.hwh"
KR260_HWH = "kr260_dma_ledadder/DMA_LED.hwh"
PYNQZ2_HWH = "pynqz2_base_v2.4/base.hwh"



@pytest.fixture(scope="module")
def ultra96():
    return read_hwh(overlay_file(ULTRA96_HWH))


@pytest.fixture(scope="module")
def kr260():
    return read_hwh(overlay_file(KR260_HWH))


@pytest.fixture(scope="module")
def pynqz2():
    return read_hwh(overlay_file(PYNQZ2_HWH))


def addresses(hardware):
    return {name: (ip["phys_addr"], ip["addr_range"]) for name, ip in hardware.ip_dict.items()}


def test_ultra96_addresses_come_from_the_ps_memory_map(ultra96):
    assert ultra96.design_name == "Accumulator_bd"
    assert ultra96.processor["type"] == "xilinx.com:ip:zynq_ultra_ps_e:3.3"
    assert addresses(ultra96) == {"axi_dma_0": (0xA0000000, 0x10000),
                                  "axi_gpio_0": (0xA0010000, 0x10000),
                                  "axi_gpio_1": (0xA0020000, 0x10000)}
    gpio = ultra96.ip_dict["axi_gpio_0"]
    assert gpio["type"] == "xilinx.com:ip:axi_gpio:2.0"
    assert (gpio["fullpath"], gpio["mem_id"], gpio["state"]) == ("axi_gpio_0", "S_AXI", None)
    assert gpio["parameters"]["C_GPIO_WIDTH"] == "1"
    assert all(isinstance(value, str) for value in gpio["parameters"].values())


def test_kr260_custom_ip_and_dma_addresses(kr260):
    assert addresses(kr260) == {"LEDAdderIP_0": (0x80000000, 0x10000),
                                "axi_dma_0": (0x80010000, 0x10000)}
    assert kr260.ip_dict["LEDAdderIP_0"]["type"] == "user.org:user:LEDAdderIP:1.0"
    assert kr260.ip_dict["LEDAdderIP_0"]["registers"] == {}


def test_pynqz2_keys_are_hierarchical_paths(pynqz2):
    assert pynqz2.processor["fullpath"] == "ps7_0"
    assert len(pynqz2.ip_dict) == 20
    assert addresses(pynqz2)["leds_gpio"] == (0x41250000, 0x10000)
    vdma = pynqz2.ip_dict["video/axi_vdma"]
    assert (vdma["fullpath"], vdma["phys_addr"]) == ("video/axi_vdma", 0x43000000)
    assert "trace_analyzer_pmodb/axi_dma_0" in pynqz2.ip_dict


@pytest.mark.parametrize("fixture", ["ultra96", "kr260"])
def test_axi_dma_register_map_has_fields(request, fixture):
    registers = request.getfixturevalue(fixture).ip_dict["axi_dma_0"]["registers"]
    control = registers["MM2S_DMACR"]
    assert (control["address_offset"], control["size"], control["access"]) == (
        0x00, 32, "read-write")
    assert control["description"] == "MM2S DMA Control Register"
    rs = control["fields"]["RS"]
    assert (rs["bit_offset"], rs["bit_width"], rs["access"]) == (0, 1, "read-write")
    assert rs["description"].startswith("Run / Stop control")
    assert control["fields"]["IRQThreshold"]["bit_offset"] == 16
    assert control["fields"]["IRQThreshold"]["bit_width"] == 8
    assert registers["S2MM_LENGTH"]["address_offset"] == 0x58
    assert registers["MM2S_DMASR"]["fields"]["Idle"]["access"] == "read-only"
    # Scatter-gather registers are disabled in simple mode, and listed as PYNQ lists them.
    assert "MM2S_CURDESC" in registers and "SG_CTL" in registers
    assert len(registers) == 19


def test_register_map_is_found_when_interface_names_differ_in_case(pynqz2):
    # The PS memory map says s_axi, the intc's address block says S_AXI.
    registers = pynqz2.ip_dict["system_interrupts"]["registers"]
    assert registers["MER"]["address_offset"] == 0x1C
    assert registers["IER"]["fields"]["INT"]["bit_width"] == 15


def test_mem_dict_holds_memories_and_ps_ddr(pynqz2, ultra96):
    bram = pynqz2.mem_dict["iop_pmoda/mb_bram_ctrl"]
    assert (bram["type"], bram["base_address"], bram["size"]) == ("BRAM", 0x40000000, 0x10000)
    assert "iop_pmoda/mb_bram_ctrl" not in pynqz2.ip_dict
    assert (pynqz2.mem_dict["PSDDR"]["base_address"], pynqz2.mem_dict["PSDDR"]["size"]) == (
        0, 0x20000000)
    assert sorted(ultra96.mem_dict) == ["PSDDR"]
    assert ultra96.mem_dict["PSDDR"]["size"] == 0x80000000


def test_pynqz2_interrupts_through_concat_and_intc(pynqz2):
    assert pynqz2.interrupt_controllers == {
        "system_interrupts": {"parent": "", "index": 0, "raw_irq": 61}}
    leds = {"controller": "system_interrupts", "index": 8, "fullpath": "leds_gpio/ip2intc_irpt"}
    assert pynqz2.interrupt_pins["leds_gpio/ip2intc_irpt"] == leds
    assert pynqz2.ip_dict["leds_gpio"]["interrupts"] == {"ip2intc_irpt": leds}
    # concat_interrupts' In0 is 6 bits wide (a nested concat), In4 4 bits.
    indexes = {pin: entry["index"] for pin, entry in pynqz2.interrupt_pins.items()}
    assert indexes["video/axi_vdma/s2mm_introut"] == 0
    assert indexes["trace_analyzer_pmodb/axi_dma_0/s2mm_introut"] == 6
    assert indexes["iop_rpi/dff_en_reset_vector_0/q"] == 12
    assert indexes["switches_gpio/ip2intc_irpt"] == 14
    assert len(indexes) == 15


def test_kr260_dma_interrupts_go_straight_to_the_ps(kr260):
    assert kr260.interrupt_controllers == {}
    assert kr260.ip_dict["axi_dma_0"]["interrupts"] == {
        "mm2s_introut": {"controller": "", "index": 0, "fullpath": "axi_dma_0/mm2s_introut",
                         "raw_irq": 121},
        "s2mm_introut": {"controller": "", "index": 1, "fullpath": "axi_dma_0/s2mm_introut",
                         "raw_irq": 122},
    }


def test_pynqz2_ps_gpio_through_slices(pynqz2, ultra96):
    assert pynqz2.gpio_dict["mb_iop_pmoda_reset"] == {
        "index": 0, "state": None, "pins": ["iop_pmoda/rst_clk_wiz_1_100M/aux_reset_in"]}
    assert pynqz2.gpio_dict["pmoda_rp_pin_sel"]["index"] == 8
    assert len(pynqz2.gpio_dict) == 9
    assert ultra96.gpio_dict == {}


def test_every_dictionary_is_json(pynqz2):
    assert json.loads(json.dumps(pynqz2.as_dict()))["ip_dict"]["leds_gpio"]["phys_addr"] == \
        0x41250000


def test_the_4_mb_pynqz2_hwh_parses_fast():
    data = overlay_file(PYNQZ2_HWH).read_bytes()
    start = time.perf_counter()
    parse_hwh(data, "base.hwh")
    assert time.perf_counter() - start < 2.0


def test_unknown_ip_lists_close_names(pynqz2):
    with pytest.raises(UnknownIp) as error:
        pynqz2.ip("axi_vdma")
    assert error.value.msg == "no IP named 'axi_vdma' in base; close names: video/axi_vdma"


# --- load_design -----------------------------------------------------------------

def test_bit_with_the_hwh_of_the_same_stem():
    design = load_design(overlay_file("pynqz2_base_v2.4/base.bit"))
    assert design.bitstream.design_name == "base_wrapper"
    assert design.hardware.source == str(overlay_file(PYNQZ2_HWH))
    assert design.name == "base"


def test_wrapper_bit_finds_the_block_design_hwh():
    bit = overlay_file("ultra96v2_axi_dma_gpio/Accumulator_bd_wrapper.bit")
    assert find_hwh(bit) == overlay_file(ULTRA96_HWH)
    assert load_design(bit).hardware.ip_dict["axi_gpio_0"]["phys_addr"] == 0xA0010000


def test_bit_without_a_matching_hwh_and_with_an_explicit_one():
    bit = overlay_file("kr260_dma_ledadder/kria_dma_led_add.bit")
    assert load_design(bit).hardware is None
    design = load_design(bit, hwh=overlay_file(KR260_HWH))
    assert design.hardware.ip_dict["axi_dma_0"]["phys_addr"] == 0x80010000
    assert load_design(overlay_file("kr260_dma_ledadder/DMA_LED_wrapper.bin")).name == "DMA_LED"


def test_xsa_gives_the_same_design_as_its_bit_and_hwh():
    from_xsa = load_design(overlay_file("ultra96v2_axi_dma_gpio/Accumulator_bd_wrapper.xsa"))
    from_bit = load_design(overlay_file("ultra96v2_axi_dma_gpio/Accumulator_bd_wrapper.bit"))
    assert from_xsa.bitstream.payload == from_bit.bitstream.payload
    assert from_xsa.hardware.ip_dict == from_bit.hardware.ip_dict
    assert from_xsa.hardware.mem_dict == from_bit.hardware.mem_dict
    assert from_xsa.hardware.source.endswith(".xsa:Accumulator_bd.hwh")


def test_hwh_alone():
    design = load_design(overlay_file(KR260_HWH))
    assert design.bitstream is None
    assert design.ip("axi_dma_0")["phys_addr"] == 0x80010000


# --- bad files: exact messages ----------------------------------------------------

MINIMAL = """<?xml version="1.0"?>
<EDKSYSTEM VIVADOVERSION="2024.1"><SYSTEMINFO NAME="d"/><MODULES>
  <MODULE FULLNAME="/axi_gpio_0" INSTANCE="axi_gpio_0" MODTYPE="axi_gpio" VLNV="v"/>
  <MODULE FULLNAME="/ps" INSTANCE="ps" MODTYPE="zynq_ultra_ps_e" VLNV="p">
    <MEMORYMAP><MEMRANGE INSTANCE="axi_gpio_0" BASEVALUE="{base}" HIGHVALUE="0xA000FFFF"
      MEMTYPE="REGISTER" SLAVEBUSINTERFACE="S_AXI" ADDRESSBLOCK="Reg"/></MEMORYMAP>
  </MODULE></MODULES></EDKSYSTEM>"""


def hwh_error(tmp_path, text):
    path = tmp_path / "x.hwh"
    path.write_text(text)
    with pytest.raises(HwhError) as error:
        read_hwh(path)
    return path, error.value.msg


def test_minimal_hwh_parses(tmp_path):
    path = tmp_path / "d.hwh"
    path.write_text(MINIMAL.format(base="0xA0000000"))
    assert addresses(read_hwh(path)) == {"axi_gpio_0": (0xA0000000, 0x10000)}


def test_malformed_xml_names_the_file_and_the_place(tmp_path):
    path, message = hwh_error(tmp_path, "<EDKSYSTEM><MODULES></EDKSYSTEM>")
    assert message == f"{path}: malformed XML: mismatched tag: line 1, column 22"


def test_other_xml_is_not_a_hardware_handoff(tmp_path):
    path, message = hwh_error(tmp_path, "<Project/>")
    assert message == (f"{path}: not a hardware handoff file: root element is <Project>, "
                       f"not <EDKSYSTEM>")


def test_bad_address_names_the_ip(tmp_path):
    path, message = hwh_error(tmp_path, MINIMAL.format(base="0xZZ"))
    assert message == f"{path}: BASEVALUE of axi_gpio_0 in ps is not a number: '0xZZ'"
    path, message = hwh_error(tmp_path, MINIMAL.format(base="0xB0000000"))
    assert message == (f"{path}: address range of axi_gpio_0 in ps ends (0xa000ffff) "
                       f"before it starts (0xb0000000)")


def test_missing_hwh(tmp_path):
    with pytest.raises(HwhError) as error:
        read_hwh(tmp_path / "none.hwh")
    assert error.value.msg == f"{tmp_path / 'none.hwh'}: no such file"


def test_truncated_hwh_is_refused_cleanly():
    data = overlay_file(KR260_HWH).read_bytes()
    rng = random.Random(5)
    for length in [0, 1, 10, 100, *(rng.randrange(len(data)) for _ in range(20))]:
        with pytest.raises(HwhError):
            parse_hwh(data[:length], "fuzz.hwh")
