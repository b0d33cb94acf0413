#!/usr/bin/env bash
# Cross-builds the server's C++ tests, and those of the sysmon example
# extension, for aarch64 or armhf into target-server/build-ARCH (the folder
# of scripts/cross-build-server.sh) and runs them with ctest under QEMU's
# user-mode emulator (qemu-aarch64, qemu-arm: the toolchain files name it as
# CMake's CMAKE_CROSSCOMPILING_EMULATOR), with the multiarch libraries of
# scripts/install-emulate-deps.sh.
# Usage: scripts/cross-test.sh aarch64|armhf [CTEST_ARGS...]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
arch=${1:?usage: $0 aarch64|armhf [CTEST_ARGS...]}
shift
case "$arch" in
    aarch64|armhf) ;;
    *) echo "$0: unknown architecture '$arch' (aarch64 or armhf)" >&2; exit 2 ;;
esac
build="$top/target-server/build-$arch"
# A folder configured before the tests were part of it gets them now.
if [ -f "$build/CMakeCache.txt" ] &&
    ! grep -qx 'PYNQ_REMOTE_BUILD_TESTS:BOOL=ON' "$build/CMakeCache.txt"; then
    "$top/scripts/cross-build-server.sh" "$arch" -DPYNQ_REMOTE_BUILD_TESTS=ON
else
    "$top/scripts/cross-build-server.sh" "$arch"
fi
cmake --build "$build" -j"$(nproc)"
ctest --test-dir "$build" --output-on-failure -j"$(nproc)" "$@"
