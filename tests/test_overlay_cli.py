"""``pynq-remote overlay inspect`` in-process: offline, no board."""

import json


from shared_data import overlay_file
from pynq_remote.design.bitfile import read_bitstream
from cli_runner import run_cli




def test_inspect_bit_prints_the_design_and_ips_sorted_by_address(capsys):
    bit = overlay_file("ultra96v2_axi_dma_gpio/Accumulator_bd_wrapper.bit")
    code, out, err = run_cli(capsys, "overlay", "inspect", bit)
    assert (code, err) == (0, "")
    for text in ("Accumulator_bd_wrapper", "xczu3eg-sbva484-1-i", "5568668 bytes",
                 "1ec83b237c97de25b726f86d1502c69034e4358c8fc59a6dd8ab6ac32ab20614",
                 "xilinx.com:ip:axi_gpio:2.0", "PSDDR"):
        assert text in out
    lines = out.splitlines()
    rows = [next(i for i, line in enumerate(lines) if line.split()[:1] == [name])
            for name in ("axi_dma_0", "axi_gpio_0", "axi_gpio_1")]
    assert rows == sorted(rows)
    assert "0xa0010000" in lines[rows[1]] and "64 KiB" in lines[rows[1]]


def test_inspect_json_has_bitstream_and_dictionaries(capsys):
    code, out, _ = run_cli(capsys, "overlay", "inspect", "--json",
                       overlay_file("pynqz2_base_v2.4/base.bit"))
    assert code == 0
    design = json.loads(out)
    assert design["bitstream"]["design_name"] == "base_wrapper"
    assert design["bitstream"]["payload_bytes"] == 4045564
    assert design["hardware"]["ip_dict"]["leds_gpio"]["phys_addr"] == 0x41250000
    assert design["hardware"]["mem_dict"]["iop_pmoda/mb_bram_ctrl"]["type"] == "BRAM"


def test_inspect_ip_prints_the_axi_dma_register_map(capsys):
    hwh = overlay_file("kr260_dma_ledadder/DMA_LED.hwh")
    code, out, err = run_cli(capsys, "overlay", "inspect", hwh, "--ip", "axi_dma_0")
    assert (code, err) == (0, "")
    lines = [line.split() for line in out.splitlines()]
    assert lines[0] == ["axi_dma_0", "xilinx.com:ip:axi_dma:7.1", "at", "0x80010000",
                        "(64", "KiB)"]
    control = lines.index(["MM2S_DMACR", "0x00", "32", "read-write"])
    assert lines[control + 1] == ["RS", "[0]", "read-write"]
    assert ["IRQThreshold", "[23:16]", "read-write"] in lines
    assert ["S2MM_LENGTH", "0x58", "32", "read-write"] in lines
    assert "interrupt mm2s_introut: PS input 0 (GIC 121)" in out


def test_inspect_ip_json_is_the_ip_dict_entry(capsys):
    code, out, _ = run_cli(capsys, "overlay", "inspect", "--json", "--ip", "axi_dma_0",
                       overlay_file("ultra96v2_axi_dma_gpio/Accumulator_bd_wrapper.xsa"))
    assert code == 0
    entry = json.loads(out)
    assert (entry["name"], entry["phys_addr"]) == ("axi_dma_0", 0xA0000000)
    rs = entry["registers"]["MM2S_DMACR"]["fields"]["RS"]
    assert (rs["bit_offset"], rs["bit_width"]) == (0, 1)


def test_inspect_with_an_explicit_hwh(capsys):
    code, out, _ = run_cli(capsys, "overlay", "inspect",
                       overlay_file("kr260_dma_ledadder/kria_dma_led_add.bit"),
                       "--hwh", overlay_file("kr260_dma_ledadder/DMA_LED.hwh"))
    assert code == 0
    assert "LEDAdderIP_0" in out and "0x80000000" in out


def test_inspect_swapped_bin_without_hwh(capsys, tmp_path):
    bitstream = read_bitstream(overlay_file("kr260_dma_ledadder/kria_dma_led_add.bit"))
    path = tmp_path / "x.bin"
    path.write_bytes(bitstream.fpga_manager_bin())
    code, out, _ = run_cli(capsys, "overlay", "inspect", path)
    assert code == 0
    assert "byte-swapped (FPGA manager order)" in out
    assert bitstream.sha256 in out
    assert "no .hwh found" in out


def test_unknown_ip_is_a_user_error_with_close_names(capsys):
    code, out, err = run_cli(capsys, "overlay", "inspect", "--ip", "axi_vdma",
                         overlay_file("pynqz2_base_v2.4/base.hwh"))
    assert (code, out) == (2, "")
    assert err == "error: no IP named 'axi_vdma' in base; close names: video/axi_vdma\n"


def test_truncated_bitstream_is_one_clear_line(capsys, tmp_path):
    data = overlay_file("ultra96v2_axi_dma_gpio/Accumulator_bd_wrapper.bit").read_bytes()
    path = tmp_path / "design.bit"
    path.write_bytes(data[:1360])
    code, out, err = run_cli(capsys, "overlay", "inspect", path)
    assert (code, out) == (2, "")
    assert err == (f"error: {path}: truncated: header says 5568668 payload bytes, "
                   f"file has 1234\n")


def test_malformed_hwh_is_one_clear_line(capsys, tmp_path):
    path = tmp_path / "broken.hwh"
    path.write_text("<EDKSYSTEM><MODULES>")
    code, _, err = run_cli(capsys, "overlay", "inspect", path)
    assert code == 2
    assert err == f"error: {path}: malformed XML: no element found: line 1, column 20\n"


def test_unknown_file_type(capsys, tmp_path):
    code, _, err = run_cli(capsys, "overlay", "inspect", tmp_path / "notes.txt")
    assert code == 2
    assert err == (f"error: {tmp_path / 'notes.txt'}: unknown overlay file type "
                   f"(expected .bit, .bin, .xsa, .hwh)\n")
