#!/usr/bin/env bash
# Cross-builds pynq-remote-server for aarch64 into target-server/build-aarch64
# (Release, no tests), for the emulated target; configured as the arm64 .deb
# is (scripts/build-packages.sh), so both hold the same binary. Incremental: a second run
# with nothing changed only checks timestamps. Needs
# scripts/install-emulate-deps.sh. Extra arguments go to cmake's configure step.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build="$top/target-server/build-aarch64"
if [ ! -f "$build/CMakeCache.txt" ] || [ "$#" -gt 0 ]; then
    cmake -S "$top/target-server" -B "$build" \
        -DCMAKE_TOOLCHAIN_FILE="$top/target-server/cmake/aarch64-linux-gnu.cmake" \
        -DCMAKE_BUILD_TYPE=Release -DPYNQ_REMOTE_BUILD_TESTS=OFF \
        -DPYNQ_REMOTE_DEB=ON \
        -DPYNQ_REMOTE_DEFAULT_SIM_CONFIG=/usr/share/pynq-remote/sim-board.textproto \
        "$@" >/dev/null
fi
cmake --build "$build" -j"$(nproc)" --target pynq-remote-server
