"""``pynq-remote flash`` on loop devices: real block devices this test creates.

They need root and losetup, as CI has; without them the tests fail (they do
not skip). Deselect them with ``-m "not loopdev"`` on a machine without root.
Loop devices are not removable, so writing one takes ``--force``.
"""

import io
import json
import os
import subprocess

import pytest
from cli_runner import run_cli
from flash_images import (BLOCK, PATTERN, bmaptool_create, compress, make_sparse_image,
                          prefill, read, require_tool)

from pynq_remote.commands import flash as flash_command
from pynq_remote.flash import TargetRefused, flash_image, parse_bmap
from pynq_remote.flash.disks import describe_disk

pytestmark = pytest.mark.loopdev

MIB = 1 << 20
DEVICE_SIZE = 32 * MIB
IMAGE_SIZE = 16 * MIB + 1536  # a short last block: an unaligned tail for O_DIRECT


@pytest.fixture
def loop_device(tmp_path):
    """A 32 MiB loop device over a file full of ``PATTERN``; detached afterwards."""
    losetup = require_tool("losetup")
    if os.geteuid() != 0:
        pytest.fail("loop-device tests need root (as in CI); deselect them with "
                    "-m 'not loopdev'", pytrace=False)
    backing = prefill(tmp_path / "backing.img", DEVICE_SIZE)
    device = subprocess.run([losetup, "--find", "--show", str(backing)], check=True,
                            capture_output=True, text=True).stdout.strip()
    try:
        yield device
    finally:
        subprocess.run(["umount", device], check=False, capture_output=True)  # if mounted
        subprocess.run([losetup, "--detach", device], check=True)


@pytest.fixture
def sparse_image(tmp_path):
    image = make_sparse_image(tmp_path / "core.wic", IMAGE_SIZE,
                              [(0, 8192), (MIB, 5 * MIB), (IMAGE_SIZE - 1536, 1536)])
    return image, bmaptool_create(image)


def test_loop_device_is_refused_without_force(loop_device, sparse_image, capsys):
    image, _ = sparse_image
    code, out, err = run_cli(capsys, "flash", image, loop_device, "--yes")
    assert (code, out) == (2, "")
    assert err == (f"error: {loop_device} (unknown model, 32.0 MiB, loop) is not a removable "
                   "disk: refusing to overwrite it without --force\n")
    assert read(loop_device) == PATTERN * (DEVICE_SIZE // 2)


def test_loop_device_with_force_gets_only_the_mapped_blocks(loop_device, sparse_image,
                                                            capsys):
    image, bmap_path = sparse_image
    packed = compress(image, "gzip")
    code, out, err = run_cli(capsys, "flash", packed, loop_device, "--force", "--yes",
                             "--json")
    assert (code, err) == (0, "")
    result = json.loads(out)
    assert result["target_kind"] == "disk" and result["verified"] is True
    assert result["bmap"] == bmap_path

    bmap = parse_bmap(bmap_path)
    mapped = {b for r in bmap.ranges for b in range(r.first, r.last + 1)}
    assert result["bytes_written"] == bmap.mapped_bytes
    written, original = read(loop_device), read(image)
    for block in range(DEVICE_SIZE // BLOCK):
        start = block * BLOCK
        if block in mapped:
            end = min(start + BLOCK, IMAGE_SIZE)
            assert written[start:end] == original[start:end], block
            # The short last block: the device's bytes beyond the image stay.
            assert written[end:start + BLOCK] == (PATTERN * BLOCK)[end - start:BLOCK]
        else:
            assert written[start:start + BLOCK] == PATTERN * (BLOCK // 2), block


def test_loop_device_without_bmap_gets_every_byte(loop_device, sparse_image):
    image, _ = sparse_image
    result = flash_image(compress(image, "zstd"), loop_device, use_bmap=False, force=True)
    assert result.bytes_written == IMAGE_SIZE and result.verified
    assert read(loop_device, 0, IMAGE_SIZE) == read(image)


def test_mounted_loop_device_is_refused(loop_device, sparse_image, tmp_path, capsys):
    image, _ = sparse_image
    subprocess.run([require_tool("mkfs.ext4"), "-q", "-F", loop_device], check=True)
    mountpoint = tmp_path / "mnt"
    mountpoint.mkdir()
    subprocess.run([require_tool("mount"), loop_device, str(mountpoint)], check=True)
    before = read(loop_device, 0, MIB)
    code, out, err = run_cli(capsys, "flash", image, loop_device, "--force", "--yes")
    assert (code, out) == (2, "")
    assert err == (f"error: {loop_device} is in use: {loop_device} is mounted on "
                   f"{mountpoint}; unmount it first (sudo umount {loop_device})\n")
    assert read(loop_device, 0, MIB) == before


def test_device_opened_exclusively_elsewhere_is_busy(loop_device, sparse_image):
    image, _ = sparse_image
    holder = os.open(loop_device, os.O_RDONLY | os.O_EXCL)
    try:
        with pytest.raises(TargetRefused, match=f"{loop_device} is busy"):
            flash_image(image, loop_device, force=True)
    finally:
        os.close(holder)
    assert read(loop_device, 0, MIB) == PATTERN * (MIB // 2)


def test_image_larger_than_loop_device_is_refused(loop_device, tmp_path):
    image = make_sparse_image(tmp_path / "big.wic", DEVICE_SIZE + BLOCK, [(0, BLOCK)])
    with pytest.raises(TargetRefused, match=f"holds only 32.0 MiB \\({DEVICE_SIZE} bytes"):
        flash_image(image, loop_device, force=True)


def test_backing_file_of_a_loop_device_is_refused(loop_device, sparse_image, tmp_path):
    image, _ = sparse_image
    with pytest.raises(TargetRefused, match=f"backing file of {loop_device}"):
        flash_image(image, tmp_path / "backing.img")


def test_without_target_the_user_picks_a_listed_disk(loop_device, sparse_image, capsys,
                                                     monkeypatch):
    # The machine's removable disks are never written by tests: the list
    # offered is this loop device alone.
    image, _ = sparse_image
    disk = describe_disk(os.path.basename(loop_device))
    monkeypatch.setattr(flash_command, "list_disks", lambda: [disk])
    monkeypatch.setattr("sys.stdin", io.StringIO("1\ny\n"))
    code, out, err = run_cli(capsys, "flash", image, "--force")
    assert code == 0, err
    assert loop_device in out and "32.0 MiB" in out  # the table
    assert f"target: {loop_device} (unknown model, 32.0 MiB, loop)" in err
    assert "wrote " in out
    assert read(loop_device, 0, 8192) == read(image, 0, 8192)
