#!/usr/bin/env bash
# Runs every test: installs what is missing, builds the server, then the C++
# tests (ctest), the proto lint (buf) and the Python tests (pytest), which
# boot the emulated aarch64 target once (hence the cross build before them).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/install-deps.sh"
"$top/scripts/install-yocto-deps.sh"
"$top/scripts/build-server.sh"
# The official pynq 4.0.0 in .venv-pynq, for the PYNQ.remote compatibility tests.
"$top/scripts/install-pynq-venv.sh" >/dev/null

echo "== C++ tests (ctest)"
ctest --test-dir "$top/target-server/build" --output-on-failure -j"$(nproc)"

echo "== proto lint (buf)"
(cd "$top/proto" && node_modules/.bin/buf lint)

echo "== emulated target: arm64 packages, aarch64 cross build (for tests/test_emulate_target.py)"
"$top/scripts/install-emulate-deps.sh"
"$top/scripts/cross-build-server.sh"

echo "== Python tests (pytest)"
cd "$top"
.venv/bin/python -m pytest -q "$@"
