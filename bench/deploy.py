#!/usr/bin/env python3
"""Deploy time for the largest test bitstream, first and second time, in one run.

The first deploy uploads and programs; the second finds the bitstream in the
board's cache and only programs. Also times the host-side parsing alone.
Usage: bench/deploy.py [FILE] [--device HOST:PORT]
"""

import argparse
import os
import pathlib
import time

import pynq_remote
from pynq_remote.design.deploy import deploy
from pynq_remote.design import load_design
from pynq_remote.tools.server import LocalServer

SHARED = pathlib.Path(os.environ.get(
    "PYNQ_REMOTE_SHARED", pathlib.Path(__file__).resolve().parents[2] / "shared"))
DEFAULT_FILE = (SHARED / "testdata/overlays/ultra96v2_axi_dma_gpio/"
                "Accumulator_bd_wrapper.xsa")


def measure(address, path):
    start = time.perf_counter()
    design = load_design(path)
    parse = time.perf_counter() - start
    with pynq_remote.connect(address) as device:
        first = deploy(device, design)
        second = deploy(device, design)
    size = len(design.bitstream.fpga_manager_bin())
    print(f"design {design.name}: {size} bytes of bitstream ({path.name})")
    print(f"host-side parsing             {parse * 1e3:8.1f} ms")
    print(f"first deploy (upload+program) {first.seconds * 1e3:8.1f} ms, "
          f"{first.bytes_sent} bytes sent")
    print(f"second deploy (program only)  {second.seconds * 1e3:8.1f} ms, "
          f"{second.bytes_sent} bytes sent")
    print(f"first/second = {first.seconds / second.seconds:.1f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", type=pathlib.Path, default=DEFAULT_FILE)
    parser.add_argument("--device", help="measure this server instead of a local sim")
    args = parser.parse_args()
    if args.device:
        measure(args.device, args.file)
    else:
        with LocalServer() as server:
            measure(server.address, args.file)


if __name__ == "__main__":
    main()
