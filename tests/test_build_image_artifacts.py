"""Listing a build's artifacts from bitbake's deploy directory."""

from pynq_remote.imagebuild import find_artifacts
from pynq_remote.imagebuild.artifacts import deploy_dir


def _deploy(tmp_path, machine, files):
    directory = deploy_dir(tmp_path, machine)
    directory.mkdir(parents=True)
    for name, size in files.items():
        (directory / name).write_bytes(b"x" * size)
    return directory


def test_lists_stable_links_by_kind(tmp_path):
    machine = "zcu104-zynqmp"
    stamp = "20261130083000"
    directory = _deploy(tmp_path, machine, {
        f"pynq-remote-image-{machine}.rootfs-{stamp}.cpio.gz.u-boot": 7000,
        f"pynq-remote-image-{machine}.rootfs-{stamp}.cpio.gz": 6900,
        f"pynq-remote-sdcard-{machine}.rootfs-{stamp}.wic": 134217728,
        f"pynq-remote-sdcard-{machine}.rootfs-{stamp}.wic.bmap": 900,
        "boot.scr": 3000, "Image-6.6": 20000, "zynqmp-zcu104-revC.dtb": 40000,
        f"pynq-remote-image-{machine}.rootfs-{stamp}.manifest": 10,
    })
    for link, target in {
            f"pynq-remote-image-{machine}.rootfs.cpio.gz.u-boot":
                f"pynq-remote-image-{machine}.rootfs-{stamp}.cpio.gz.u-boot",
            f"pynq-remote-image-{machine}.rootfs.cpio.gz":
                f"pynq-remote-image-{machine}.rootfs-{stamp}.cpio.gz",
            f"pynq-remote-sdcard-{machine}.rootfs.wic":
                f"pynq-remote-sdcard-{machine}.rootfs-{stamp}.wic",
            f"pynq-remote-sdcard-{machine}.rootfs.wic.bmap":
                f"pynq-remote-sdcard-{machine}.rootfs-{stamp}.wic.bmap",
            "Image": "Image-6.6"}.items():
        (directory / link).symlink_to(target)
    found = [(a.kind, a.name, a.size) for a in find_artifacts(tmp_path, machine)]
    assert found == [
        ("sd card image", f"pynq-remote-sdcard-{machine}.rootfs.wic", 134217728),
        ("sd card bmap", f"pynq-remote-sdcard-{machine}.rootfs.wic.bmap", 900),
        ("ram-disk", f"pynq-remote-image-{machine}.rootfs.cpio.gz.u-boot", 7000),
        ("ram-disk", f"pynq-remote-image-{machine}.rootfs.cpio.gz", 6900),
        ("boot script", "boot.scr", 3000),
        ("kernel", "Image", 20000),
        ("device tree", "zynqmp-zcu104-revC.dtb", 40000),
    ]


def test_no_deploy_directory(tmp_path):
    assert find_artifacts(tmp_path, "qemuarm64") == []
