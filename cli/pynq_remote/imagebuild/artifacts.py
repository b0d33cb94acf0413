"""The files a build leaves in bitbake's deploy directory, by kind."""

import dataclasses
import fnmatch
from pathlib import Path

# (kind, pattern) in the order they are listed; the first match wins.
KINDS = [
    ("sd card image", "pynq-remote-sdcard-*.wic"),
    ("sd card bmap", "pynq-remote-sdcard-*.wic.bmap"),
    ("ram-disk", "pynq-remote-image-*.cpio.gz.u-boot"),
    ("ram-disk", "pynq-remote-image-*.cpio.gz"),
    ("boot firmware", "boot.bin"),
    ("boot script", "boot.scr"),
    ("kernel", "Image"),
    ("kernel", "uImage"),
    ("kernel", "zImage"),
    ("device tree", "*.dtb"),
    ("bootloader", "u-boot.elf"),
]


@dataclasses.dataclass(frozen=True)
class Artifact:
    kind: str
    name: str
    path: str
    size: int

    def as_dict(self):
        return dataclasses.asdict(self)


def deploy_dir(build_dir, machine):
    return Path(build_dir) / "tmp" / "deploy" / "images" / machine


def find_artifacts(build_dir, machine):
    """The artifacts of the deploy directory (by their stable link names)."""
    directory = deploy_dir(build_dir, machine)
    if not directory.is_dir():
        return []
    found = []
    for kind, pattern in KINDS:
        for path in sorted(directory.iterdir()):
            if not fnmatch.fnmatch(path.name, pattern) or not path.exists():
                continue
            if any(a.name == path.name for a in found):
                continue
            # The stable names are links to the dated files: list the links only.
            if not path.is_symlink() and any(
                    p.is_symlink() and p.resolve() == path.resolve()
                    for p in directory.iterdir()):
                continue
            found.append(Artifact(kind, path.name, str(path), path.stat().st_size))
    return found
