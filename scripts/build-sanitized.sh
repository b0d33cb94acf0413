#!/usr/bin/env bash
# Configures and builds target-server/ with sanitizers, with clang:
#   asan  ASan + UBSan and libFuzzer coverage into target-server/build-asan:
#         the server, the C++ tests and the fuzz targets (fuzz/)
#   tsan  TSan into target-server/build-tsan: the server and the C++ tests
# Both build in the sysmon example extension (extensions/sysmon), so its
# C++ tests run under the sanitizers too (docs/extensions.md).
# Usage: scripts/build-sanitized.sh asan|tsan [CMAKE_ARGS...]
# Prints nothing but the build; the build folder is reused when it exists.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
flavour=${1:?usage: $0 asan|tsan [CMAKE_ARGS...]}
shift
case "$flavour" in
    asan) options=(-DPYNQ_REMOTE_FUZZ=ON) ;;
    tsan) options=(-DPYNQ_REMOTE_SANITIZE=thread) ;;
    *) echo "$0: unknown flavour '$flavour' (asan or tsan)" >&2; exit 2 ;;
esac
build="$top/target-server/build-$flavour"
cmake -S "$top/target-server" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_COMPILER=clang++-14 "-DPYNQ_REMOTE_EXTENSIONS=$top/extensions/sysmon" \
    "${options[@]}" "$@" >/dev/null
cmake --build "$build" -j"$(nproc)"
