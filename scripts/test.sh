#!/usr/bin/env bash
# Runs every test: installs what is missing, builds the server, then the C++
# tests (ctest), the proto lint (buf) and the Python tests (pytest).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/install-deps.sh"
"$top/scripts/install-yocto-deps.sh"
"$top/scripts/build-server.sh"

echo "== C++ tests (ctest)"
ctest --test-dir "$top/target-server/build" --output-on-failure -j"$(nproc)"

echo "== proto lint (buf)"
(cd "$top/proto" && node_modules/.bin/buf lint)

echo "== Python tests (pytest)"
cd "$top"
.venv/bin/python -m pytest -q "$@"
