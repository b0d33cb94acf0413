"""Bitstreams: .bit headers, .bit -> FPGA-manager .bin, raw .bin, .xsa, and bad files."""

import array
import hashlib
import random
import struct
import zipfile

import pytest

from shared_data import overlay_file
from pynq_remote.design.bitfile import (BitstreamError, hwh_names_for, parse_bin, parse_bit,
                                 read_bitstream, read_xsa)
from pynq_remote.errors import PynqRemoteUserError

ULTRA96_BIT = "ultra96v2_axi_dma_gpio/Accumulator_bd_wrapper.bit"
ULTRA96_XSA = "ultra96v2_axi_dma_gpio/Accumulator_bd_wrapper.xsa"
KR260_BIT = "kr260_dma_ledadder/kria_dma_led_add.bit"
KR260_BIN = "kr260_dma_ledadder/DMA_LED_wrapper.bin"
PYNQZ2_BIT = "pynqz2_base_v2.4/base.bit"



def swapped_words(data):
    """An independent 32-bit byte swap, to check the numpy one against."""
    words = array.array("I", data)
    words.byteswap()
    return words.tobytes()


def bit_file(fields, payload_length, payload):
    """A .bit made of the fixed preamble, text ``fields`` and an 'e' field."""
    header = b"\x00\x09\x0f\xf0\x0f\xf0\x0f\xf0\x0f\xf0\x00\x00\x01"
    for key, text in fields:
        value = text.encode() + b"\0"
        header += key + struct.pack(">H", len(value)) + value
    return header + b"e" + struct.pack(">I", payload_length) + payload


SYNC_PAYLOAD = b"\xff" * 16 + b"\xaa\x99\x55\x66" + b"\x20\x00\x00\x00" * 3


@pytest.mark.parametrize("name, design_name, part, date, payload_length, offset", [
    (ULTRA96_BIT, "Accumulator_bd_wrapper", "xczu3eg-sbva484-1-i", "2022/09/19", 5568668, 126),
    (KR260_BIT, "DMA_LED_wrapper", "xck26-sfvc784-2LV-c", "2025/08/16", 2969980, 133),
    (PYNQZ2_BIT, "base_wrapper", "7z020clg400", "2019/01/23", 4045564, 108),
])
def test_every_bit_file_parses(name, design_name, part, date, payload_length, offset):
    path = overlay_file(name)
    bitstream = read_bitstream(path)
    assert (bitstream.format, bitstream.design_name, bitstream.part, bitstream.date) == (
        "bit", design_name, part, date)
    assert len(bitstream.payload) == payload_length
    assert bitstream.payload_offset == offset
    assert offset + payload_length == path.stat().st_size
    assert bitstream.design.startswith(design_name + ";UserID=")
    assert bitstream.source == path


def test_design_attributes_show_a_compressed_bitstream():
    bitstream = read_bitstream(overlay_file(KR260_BIT))
    assert bitstream.design_attributes == {"UserID": "0XFFFFFFFF", "COMPRESS": "TRUE",
                                           "Version": "2024.1"}
    assert bitstream.time == "20:25:03"


def test_fpga_manager_bin_of_ultra96_is_the_payload_with_every_word_swapped():
    path = overlay_file(ULTRA96_BIT)
    data = path.read_bytes()
    bitstream = read_bitstream(path)
    assert bitstream.payload == data[126:]
    fpga_bin = bitstream.fpga_manager_bin()
    assert fpga_bin == swapped_words(data[126:])
    assert b"\x66\x55\x99\xaa" in fpga_bin[:256] and b"\xaa\x99\x55\x66" not in fpga_bin[:256]
    assert bitstream.sha256 == hashlib.sha256(fpga_bin).hexdigest()


def test_vivado_bin_of_kr260_is_recognised_as_not_swapped_and_equals_the_bit_payload():
    from_bin = read_bitstream(overlay_file(KR260_BIN))
    from_bit = read_bitstream(overlay_file(KR260_BIT))
    assert (from_bin.format, from_bin.swapped, from_bin.design_name) == ("bin", False, None)
    assert from_bin.payload == from_bit.payload
    assert from_bin.sha256 == from_bit.sha256


def test_byte_swapped_bin_is_recognised_and_swapped_back(tmp_path):
    bitstream = read_bitstream(overlay_file(KR260_BIT))
    path = tmp_path / "design.bin"
    path.write_bytes(bitstream.fpga_manager_bin())
    from_bin = read_bitstream(path)
    assert from_bin.swapped is True
    assert from_bin.payload == bitstream.payload
    assert from_bin.fpga_manager_bin() == path.read_bytes()


def test_xsa_gives_the_same_bitstream_as_its_bit_and_its_top_hwh():
    contents = read_xsa(overlay_file(ULTRA96_XSA))
    bit = read_bitstream(overlay_file(ULTRA96_BIT))
    assert contents.bitstream.format == "xsa"
    assert contents.bitstream.member == "Accumulator_bd_wrapper.bit"
    assert contents.bitstream.payload == bit.payload
    assert (contents.bitstream.design, contents.bitstream.part) == (bit.design, bit.part)
    assert contents.bitstream.sha256 == bit.sha256
    # The .xsa also holds Accumulator_bd_axi_smc_0.hwh; sysdef.xml names the top one.
    assert contents.hwh_name == "Accumulator_bd.hwh"
    hwh = overlay_file("ultra96v2_axi_dma_gpio/Accumulator_bd.hwh")
    assert contents.hwh_data == hwh.read_bytes()


def test_xsa_without_sysdef_picks_the_hwh_named_after_the_bit(tmp_path):
    path = tmp_path / "top.xsa"
    with zipfile.ZipFile(path, "w") as archive:
        bit = bit_file([(b"a", "design_wrapper")], len(SYNC_PAYLOAD), SYNC_PAYLOAD)
        archive.writestr("design_wrapper.bit", bit)
        archive.writestr("design_sub_0.hwh", "<EDKSYSTEM/>")
        archive.writestr("design.hwh", "<EDKSYSTEM/>")
        archive.writestr("nested/other.bit", b"")
    contents = read_xsa(path)
    assert (contents.bitstream.member, contents.hwh_name) == ("design_wrapper.bit",
                                                              "design.hwh")


def test_hwh_names_for_a_wrapper_bitstream():
    assert hwh_names_for("base.bit") == ["base.hwh"]
    assert hwh_names_for("design_1_wrapper.bin") == ["design_1_wrapper.hwh", "design_1.hwh"]


# --- bad files: exact messages ----------------------------------------------

def write(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def error_of(path):
    with pytest.raises(BitstreamError) as error:
        read_bitstream(path)
    assert isinstance(error.value, PynqRemoteUserError)
    return error.value.msg


def test_truncated_payload_names_the_file_and_both_lengths(tmp_path):
    data = overlay_file(ULTRA96_BIT).read_bytes()
    path = write(tmp_path, "design.bit", data[:1360])
    assert error_of(path) == (f"{path}: truncated: header says 5568668 payload bytes, "
                              f"file has 1234")


def test_file_without_the_header_is_not_a_bitstream(tmp_path):
    path = write(tmp_path, "x.bit", b"hello world, not a bitstream")
    assert error_of(path) == f"{path}: not a bitstream: no 0x00 0x09 header"


def test_file_ending_inside_a_header_field(tmp_path):
    data = overlay_file(ULTRA96_BIT).read_bytes()
    path = write(tmp_path, "x.bit", data[:40])
    assert error_of(path) == f"{path}: truncated: file ends inside header field 'a' at byte 13"
    path = write(tmp_path, "y.bit", data[:13])
    assert error_of(path) == f"{path}: truncated: file ends inside the header at byte 13"


def test_unknown_header_field(tmp_path):
    path = write(tmp_path, "x.bit", bit_file([(b"a", "d")], 0, b"")[:18] + b"z\x00\x01")
    assert error_of(path) == f"{path}: not a bitstream: unknown header field 0x7a at byte 18"


def test_payload_that_is_not_whole_words(tmp_path):
    path = write(tmp_path, "x.bit", bit_file([(b"a", "d")], 5, b"12345"))
    assert error_of(path) == f"{path}: payload of 5 bytes is not a whole number of 32-bit words"
    path = write(tmp_path, "y.bit", bit_file([(b"a", "d")], 0, b""))
    assert error_of(path) == f"{path}: empty bitstream: no payload bytes"


def test_bin_without_a_sync_word(tmp_path):
    path = write(tmp_path, "x.bin", b"\xff" * 8000)
    assert error_of(path) == (f"{path}: not a bitstream: no sync word 0xAA995566 in the "
                              f"first 4096 bytes")


def test_xsa_errors(tmp_path):
    path = write(tmp_path, "x.xsa", b"PK\x03\x04 garbage")
    assert error_of(path) == f"{path}: not a valid .xsa (zip archive): File is not a zip file"
    path = tmp_path / "empty.xsa"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("design.hwh", "<EDKSYSTEM/>")
    assert error_of(path) == f"{path}: no .bit inside"


def test_bit_inside_an_xsa_is_named_in_its_errors(tmp_path):
    path = tmp_path / "x.xsa"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("d.bit", b"junk")
    assert error_of(path) == f"{path}:d.bit: not a bitstream: no 0x00 0x09 header"


def test_missing_file_and_unknown_suffix(tmp_path):
    assert error_of(tmp_path / "nope.bit") == f"{tmp_path / 'nope.bit'}: no such file"
    assert error_of(tmp_path / "nope.xsa") == f"{tmp_path / 'nope.xsa'}: no such file"
    path = write(tmp_path, "x.mcs", b"")
    assert error_of(path) == f"{path}: not a bitstream file (expected .bit, .bin or .xsa)"


# --- light fuzzing: garbage gives BitstreamError, never IndexError or struct.error -----

def parses_or_refuses(parse, data):
    try:
        parse(data, "fuzz")
    except BitstreamError:
        pass


def test_bit_truncated_at_many_offsets_is_refused_cleanly():
    data = overlay_file(ULTRA96_BIT).read_bytes()
    rng = random.Random(7)
    for length in [*range(0, 200), *(rng.randrange(len(data)) for _ in range(30))]:
        with pytest.raises(BitstreamError):
            parse_bit(data[:length], "fuzz")


def test_random_bytes_and_corrupted_headers_never_crash():
    rng = random.Random(11)
    header = overlay_file(PYNQZ2_BIT).read_bytes()[:300]
    for _ in range(500):
        noise = bytes(rng.randrange(256) for _ in range(rng.randrange(200)))
        parses_or_refuses(parse_bit, noise)
        parses_or_refuses(parse_bit, b"\x00\x09" + noise)
        parses_or_refuses(parse_bin, noise)
        corrupted = bytearray(header)
        for _ in range(3):
            corrupted[rng.randrange(110)] = rng.randrange(256)
        parses_or_refuses(parse_bit, bytes(corrupted))


def test_truncated_or_corrupted_xsa_is_refused_cleanly(tmp_path):
    data = overlay_file(ULTRA96_XSA).read_bytes()
    rng = random.Random(3)
    for attempt in range(12):
        damaged = bytearray(data[:rng.randrange(len(data))] if attempt < 6 else data)
        for _ in range(0 if attempt < 6 else 50):
            damaged[rng.randrange(len(damaged))] ^= 0xFF
        path = write(tmp_path, f"x{attempt}.xsa", bytes(damaged))
        try:
            read_xsa(path)
        except BitstreamError:
            pass


def test_bin_with_the_sync_word_anywhere_in_the_first_words_is_found():
    swapped = swapped_words(SYNC_PAYLOAD)
    assert parse_bin(SYNC_PAYLOAD, "x.bin").swapped is False
    assert parse_bin(swapped, "x.bin").swapped is True
    assert parse_bin(swapped, "x.bin").payload == SYNC_PAYLOAD
    assert parse_bin(SYNC_PAYLOAD, "x.bin").fpga_manager_bin() == swapped
