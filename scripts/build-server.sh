#!/usr/bin/env bash
# Configures and builds target-server/ into target-server/build.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cmake -S "$top/target-server" -B "$top/target-server/build" \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
cmake --build "$top/target-server/build" -j"$(nproc)"
