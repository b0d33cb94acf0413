"""``pynq-remote flash`` and ``pynq_remote.flash`` on regular files: real writes, no mocks."""

import errno
import grp
import io
import json
import os

import pytest
from cli_runner import run_cli
from flash_images import (BLOCK, PATTERN, bmaptool_create, compress, make_sparse_image,
                          prefill, read, write_bmap)

from pynq_remote.flash import (BmapError, ChecksumMismatch, ImageError, TargetRefused,
                               TargetUnavailable, VerifyFailed, find_bmap, flash_image,
                               parse_bmap, plan_flash)
from pynq_remote.flash.writer import _open_error, open_target, verify_extents, write_extents

MIB = 1 << 20
IMAGE_SIZE = 16 * MIB
# Data crossing 4 MiB buffers, a lone block, and a short last block.
DATA_SPANS = [(0, 64 * 1024), (3 * MIB + 8192, 6 * MIB), (12 * MIB, BLOCK),
              (IMAGE_SIZE - 2 * BLOCK, 2 * BLOCK)]


@pytest.fixture
def sparse_image(tmp_path):
    """A 16 MiB sparse .wic and the bmap bmaptool made for it."""
    image = make_sparse_image(tmp_path / "core.wic", IMAGE_SIZE, DATA_SPANS)
    return image, bmaptool_create(image)


def mapped_blocks(bmap_path):
    bmap = parse_bmap(bmap_path)
    return {block for r in bmap.ranges for block in range(r.first, r.last + 1)}


def test_bmaptool_bmap_is_parsed(sparse_image):
    _, bmap_path = sparse_image
    bmap = parse_bmap(bmap_path)
    assert (bmap.version, bmap.image_size, bmap.block_size) == ("2.0", IMAGE_SIZE, BLOCK)
    assert bmap.checksum_type == "sha256"
    assert bmap.mapped_blocks_count == sum(length // BLOCK for _, length in DATA_SPANS)
    assert [(r.first, r.last) for r in bmap.ranges] == [
        (offset // BLOCK, (offset + length) // BLOCK - 1) for offset, length in DATA_SPANS]
    assert all(len(r.checksum) == 64 for r in bmap.ranges)


def test_sparse_image_with_bmap_writes_only_mapped_blocks(sparse_image, tmp_path):
    image, bmap_path = sparse_image
    target = prefill(tmp_path / "card.img", IMAGE_SIZE + MIB)

    result = flash_image(image, target)

    assert result.bmap == bmap_path
    mapped = mapped_blocks(bmap_path)
    assert result.bytes_written == len(mapped) * BLOCK
    written, original = read(target), read(image)
    pattern_block = (PATTERN * (BLOCK // 2))
    for block in range((IMAGE_SIZE + MIB) // BLOCK):
        got = written[block * BLOCK:(block + 1) * BLOCK]
        if block in mapped:
            assert got == original[block * BLOCK:(block + 1) * BLOCK], block
        else:
            assert got == pattern_block, f"unmapped block {block} was written"
    assert result.verified and result.verify_seconds is not None


def test_without_bmap_every_byte_is_written(sparse_image, tmp_path):
    image, _ = sparse_image
    target = prefill(tmp_path / "card.img", IMAGE_SIZE)
    result = flash_image(image, target, use_bmap=False)
    assert result.bmap is None and result.bytes_written == IMAGE_SIZE
    assert read(target) == read(image)


@pytest.mark.parametrize("compression", ["gzip", "xz", "bzip2", "zstd"])
@pytest.mark.parametrize("with_bmap", [True, False], ids=["bmap", "no-bmap"])
def test_compressed_images_round_trip(sparse_image, tmp_path, compression, with_bmap):
    image, _ = sparse_image
    packed = compress(image, compression)
    target = tmp_path / "out.wic"  # a new file: created at the image's size
    result = flash_image(packed, target, use_bmap=with_bmap)
    assert result.compression == compression
    assert (result.bmap is not None) == with_bmap
    assert result.image_size == IMAGE_SIZE
    assert read(target) == read(image)


def test_bmap_is_found_as_bmaptool_finds_it(tmp_path):
    for name in ("core.wic.gz.bmap", "core.wic.bmap", "core.bmap"):
        (tmp_path / name).write_text("")
    image = tmp_path / "core.wic.gz"
    assert find_bmap(image) == f"{image}.bmap"
    os.remove(f"{image}.bmap")
    assert find_bmap(image) == str(tmp_path / "core.wic.bmap")
    os.remove(tmp_path / "core.wic.bmap")
    assert find_bmap(image) == str(tmp_path / "core.bmap")
    os.remove(tmp_path / "core.bmap")
    assert find_bmap(image) is None


def test_a_new_target_file_is_sparse_where_the_bmap_has_holes(sparse_image, tmp_path):
    image, _ = sparse_image
    target = tmp_path / "new.wic"
    flash_image(image, target)
    assert os.path.getsize(target) == IMAGE_SIZE
    assert os.stat(target).st_blocks * 512 < IMAGE_SIZE // 2


def test_corrupt_image_fails_naming_the_block_range(sparse_image, tmp_path):
    image, _ = sparse_image
    with open(image, "r+b") as file:
        file.seek(3 * MIB + 8192 + 5 * MIB)  # inside the 6 MiB span
        file.write(b"corrupt")
    target = prefill(tmp_path / "card.img", IMAGE_SIZE)
    first = (3 * MIB + 8192) // BLOCK
    last = first + 6 * MIB // BLOCK - 1
    with pytest.raises(ChecksumMismatch, match=f"does not match its bmap in blocks "
                                               f"{first}-{last}"):
        flash_image(image, target)


def test_corrupt_image_cli_error_is_one_line(sparse_image, tmp_path, capsys):
    image, _ = sparse_image
    packed = compress(image, "gzip")
    os.remove(image)
    data = bytearray(read(packed))
    data[len(data) // 2] ^= 0xFF
    with open(packed, "wb") as file:
        file.write(data)
    code, out, err = run_cli(capsys, "flash", packed, tmp_path / "out.wic", "--yes")
    assert code == 2 and out == ""
    assert err.startswith("error: ") and err.count("\n") == 1
    assert "core.wic.gz" in err and ("corrupt" in err or "does not match its bmap" in err)


def test_truncated_compressed_image_is_reported(sparse_image, tmp_path):
    image, _ = sparse_image
    packed = compress(image, "xz")
    data = read(packed)
    with open(packed, "wb") as file:
        file.write(data[:len(data) // 2])
    with pytest.raises(ImageError, match="corrupt or truncated"):
        flash_image(packed, tmp_path / "out.wic", use_bmap=False)


def test_verify_detects_a_target_that_does_not_hold_the_data(sparse_image, tmp_path):
    image, _ = sparse_image
    target = prefill(tmp_path / "card.img", IMAGE_SIZE)
    plan = plan_flash(image, target)
    with open_target(str(target), False) as opened, plan.image.open() as stream:
        digests = write_extents(opened, stream, plan.extents)
        with open(target, "r+b") as file:  # the card loses a byte
            file.seek(12 * MIB + 100)
            file.write(b"\0")
        with pytest.raises(VerifyFailed, match=f"in block {12 * MIB // BLOCK} "):
            verify_extents(opened, plan.extents, digests)


def test_image_larger_than_target_is_refused(sparse_image, tmp_path):
    image, _ = sparse_image
    target = prefill(tmp_path / "small.img", IMAGE_SIZE - MIB)
    with pytest.raises(TargetRefused, match="holds only 15.0 MiB"):
        flash_image(image, target)
    assert read(target) == PATTERN * ((IMAGE_SIZE - MIB) // 2)


def test_compressed_image_larger_than_target_is_refused_without_bmap(sparse_image, tmp_path):
    image, _ = sparse_image
    packed = compress(image, "zstd")
    target = prefill(tmp_path / "small.img", IMAGE_SIZE - BLOCK)
    with pytest.raises(TargetRefused, match=f"{IMAGE_SIZE} bytes"):
        flash_image(packed, target, use_bmap=False)


def test_bmap_of_another_image_is_refused(sparse_image, tmp_path):
    _, bmap_path = sparse_image
    other = make_sparse_image(tmp_path / "other.wic", IMAGE_SIZE // 2, [(0, BLOCK)])
    with pytest.raises(BmapError, match="another image's bmap"):
        flash_image(other, tmp_path / "out.wic", bmap=bmap_path)


def test_tampered_bmap_is_refused(sparse_image, tmp_path):
    image, bmap_path = sparse_image
    text = read(bmap_path).decode()
    first = parse_bmap(bmap_path).ranges[0].checksum
    with open(bmap_path, "w") as file:
        file.write(text.replace(first, "0" * 63 + "1"))
    with pytest.raises(BmapError, match="is corrupt"):
        flash_image(image, tmp_path / "out.wic")


def test_sha1_bmap_is_honoured(tmp_path):
    image = make_sparse_image(tmp_path / "sha1.img", 4 * MIB, [(BLOCK, 3 * BLOCK)])
    bmap_path = write_bmap(tmp_path / "sha1.img.bmap", image, [(1, 3)], "sha1")
    assert parse_bmap(bmap_path).checksum_type == "sha1"
    target = prefill(tmp_path / "card.img", 4 * MIB)
    assert flash_image(image, target).bytes_written == 3 * BLOCK
    assert read(target, BLOCK, 3 * BLOCK) == read(image, BLOCK, 3 * BLOCK)
    with open(image, "r+b") as file:
        file.seek(2 * BLOCK)
        file.write(b"x")
    with pytest.raises(ChecksumMismatch, match="blocks 1-3"):
        flash_image(image, target)


def test_missing_image_and_device_are_one_line_errors(sparse_image, tmp_path, capsys):
    image, _ = sparse_image
    code, _, err = run_cli(capsys, "flash", tmp_path / "nope.wic", tmp_path / "out", "--yes")
    assert (code, err) == (2, f"error: no such image: {tmp_path / 'nope.wic'}\n")
    code, _, err = run_cli(capsys, "flash", image, "/dev/pynq-remote-no-such-disk", "--yes")
    assert code == 2 and err.startswith("error: no such device: /dev/pynq-remote-no-such-disk")
    assert not os.path.exists("/dev/pynq-remote-no-such-disk")
    with pytest.raises(TargetUnavailable):
        flash_image(image, tmp_path / "no" / "dir" / "out.wic")


def test_mislabelled_image_is_refused(tmp_path):
    fake = tmp_path / "core.wic.xz"
    fake.write_bytes(b"<html>not found</html>")
    with pytest.raises(ImageError, match="is not xz data"):
        flash_image(fake, tmp_path / "out.wic")


def test_cli_json_reports_bytes_time_and_throughput(sparse_image, tmp_path, capsys):
    image, bmap_path = sparse_image
    code, out, err = run_cli(capsys, "flash", image, tmp_path / "out.wic", "--json")
    assert (code, err) == (0, "")
    result = json.loads(out)
    assert result["bmap"] == bmap_path and result["verified"] is True
    assert result["bytes_written"] == len(mapped_blocks(bmap_path)) * BLOCK
    assert result["image_size"] == IMAGE_SIZE
    assert result["write_seconds"] > 0 and result["write_mb_per_s"] > 0


def test_cli_report_and_no_verify(sparse_image, tmp_path, capsys):
    image, _ = sparse_image
    code, out, _ = run_cli(capsys, "flash", image, tmp_path / "out.wic", "--no-bmap",
                           "--no-verify")
    assert code == 0
    assert out.startswith(f"wrote 16.0 MiB ({IMAGE_SIZE} bytes) to ")
    assert "MB/s; not verified" in out


def test_cli_asks_before_overwriting_an_existing_file(sparse_image, tmp_path, capsys,
                                                      monkeypatch):
    image, _ = sparse_image
    target = prefill(tmp_path / "card.img", IMAGE_SIZE)
    monkeypatch.setattr("sys.stdin", io.StringIO("n\n"))
    code, _, err = run_cli(capsys, "flash", image, target)
    assert code == 2
    assert f"target: {target} (existing file, 16.0 MiB)" in err
    assert err.endswith("error: not confirmed: nothing was written to " f"{target}\n")
    assert read(target) == PATTERN * (IMAGE_SIZE // 2)
    monkeypatch.setattr("sys.stdin", io.StringIO("y\n"))
    code, out, _ = run_cli(capsys, "flash", image, target)
    assert code == 0 and out.startswith("wrote ")


def test_cli_lists_removable_disks_as_json_without_target(sparse_image, capsys):
    image, _ = sparse_image
    code, out, _ = run_cli(capsys, "flash", image, "--json")
    assert code == 0
    disks = json.loads(out)
    assert isinstance(disks, list)
    assert all(disk["removable"] and disk["size"] > 0 for disk in disks)


def test_help_documents_the_safety_rules(capsys):
    code, out, _ = run_cli(capsys, "flash", "--help")
    assert code == 0
    for rule in ("non-removable disk", "unless --force", "mounted", "O_EXCL",
                 "larger than the disk", "--yes", "--no-verify", "bmap"):
        assert rule in out, rule


def test_bmap_and_no_bmap_exclude_each_other(sparse_image, tmp_path, capsys):
    image, bmap_path = sparse_image
    code, _, err = run_cli(capsys, "flash", image, tmp_path / "o", "--bmap", bmap_path,
                           "--no-bmap")
    assert code == 2 and "exclude each other" in err


def test_permission_error_suggests_sudo_or_the_devices_group(tmp_path):
    device = tmp_path / "sdz"
    device.write_bytes(b"")
    os.chown(device, 0, grp.getgrnam("disk").gr_gid)
    error = _open_error(str(device), PermissionError(errno.EACCES, "Permission denied"))
    assert isinstance(error, TargetUnavailable) and error.exit_code == 2
    assert error.msg == (f"permission denied opening {device} for writing: run with sudo, or "
                         "join the 'disk' group (sudo usermod -aG disk $USER, then log in "
                         "again)")
