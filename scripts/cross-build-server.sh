#!/usr/bin/env bash
# Cross-builds pynq-remote-server for 64-bit (aarch64, the default) or 32-bit
# (armhf) Arm Linux into target-server/build-ARCH/pynq-remote-server
# (Release), for the emulated targets and the boards' packages. The build
# folder is configured with the C++ tests and the sysmon example extension
# (extensions/sysmon), so scripts/cross-test.sh reuses it; only the server
# is built here. Incremental: a second run with nothing changed only checks
# timestamps. Needs scripts/install-emulate-deps.sh.
# Usage: scripts/cross-build-server.sh [aarch64|armhf] [CMAKE_ARGS...]
# CMAKE_ARGS go to cmake's configure step and stay in the folder's cache.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
arch=aarch64
case "${1:-}" in
    aarch64|armhf) arch=$1; shift ;;
    -*|"") ;;
    *) echo "$0: unknown architecture '$1' (aarch64 or armhf)" >&2; exit 2 ;;
esac
case "$arch" in
    aarch64) toolchain=aarch64-linux-gnu ;;
    armhf) toolchain=arm-linux-gnueabihf ;;
esac
build="$top/target-server/build-$arch"
if [ ! -f "$build/CMakeCache.txt" ] || [ "$#" -gt 0 ]; then
    cmake -S "$top/target-server" -B "$build" \
        -DCMAKE_TOOLCHAIN_FILE="$top/target-server/cmake/$toolchain.cmake" \
        -DCMAKE_BUILD_TYPE=Release -DPYNQ_REMOTE_BUILD_TESTS=ON \
        "-DPYNQ_REMOTE_EXTENSIONS=$top/extensions/sysmon" "$@" >/dev/null
fi
cmake --build "$build" -j"$(nproc)" --target pynq-remote-server
