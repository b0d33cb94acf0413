"""Writing disk images to SD cards: safely, fast and verified.

``flash_image(image, target)`` is the whole job (see ``plan``); the modules
each own one concern: ``images`` (raw and compressed images as streams),
``bmap`` (bmaptool's block maps), ``disks`` (block devices from /sys and what
uses them), ``writer`` (exclusive, aligned, pipelined writes and the verify
pass).
"""

from .bmap import Bmap, BlockRange, find_bmap, parse_bmap
from .disks import Disk, list_disks
from .errors import (BmapError, ChecksumMismatch, FlashCancelled, FlashError, ImageError,
                     TargetRefused, TargetUnavailable, VerifyFailed)
from .images import Image, inspect_image
from .plan import (FlashPlan, FlashResult, TargetInfo, check_target, flash_image, human_size,
                   plan_flash, run_flash)

__all__ = [
    "BlockRange", "Bmap", "BmapError", "ChecksumMismatch", "Disk", "FlashCancelled",
    "FlashError", "FlashPlan", "FlashResult", "Image", "ImageError", "TargetInfo",
    "TargetRefused", "TargetUnavailable", "VerifyFailed", "check_target", "find_bmap",
    "flash_image", "human_size", "inspect_image", "list_disks", "parse_bmap", "plan_flash",
    "run_flash",
]
