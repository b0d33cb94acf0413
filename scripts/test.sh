#!/usr/bin/env bash
# Runs every test: installs what is missing, then
#  - the aarch64 cross build of the server, for the emulated target;
#  - the aarch64 and armhf cross builds of the C++ tests (with the sysmon
#    extension's), run under QEMU's user-mode emulators (scripts/cross-test.sh);
#  - the server built with ASan + UBSan: its C++ tests (ctest) and every
#    Python test (pytest, against that server; the emulated target boots the
#    cross build, the Yocto tests run kas and bitbake offline), any sanitizer
#    report failing them;
#  - the libFuzzer targets of that build, each for a bounded time
#    ($PYNQ_REMOTE_FUZZ_SECONDS, default 30);
#  - the server built with TSan: the C++ tests and the Python tests that
#    talk to the host's server again;
#  - the proto lint (buf), and buf's breaking-change check against the wire
#    contract of the last release (proto/breaking.sh, docs/versioning.md).
# The plain build (scripts/build-server.sh, used by scripts/demo.sh) is not
# needed here: the sanitizer builds compile the same code. Arguments go to
# the first pytest run.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
# Stage headers carry the seconds since the start, for CI's time budget.
stage() { echo "== [${SECONDS} s] $*"; }
"$top/scripts/install-deps.sh"
"$top/scripts/install-yocto-deps.sh"
# The official pynq 4.0.0 in .venv-pynq, for the PYNQ.remote compatibility tests.
"$top/scripts/install-pynq-venv.sh" >/dev/null

stage "emulated target: arm64 packages, aarch64 cross build"
"$top/scripts/install-emulate-deps.sh"
"$top/scripts/cross-build-server.sh"

stage "C++ tests cross-built for aarch64, under qemu-aarch64"
"$top/scripts/cross-test.sh" aarch64
stage "C++ tests cross-built for armhf (32-bit), under qemu-arm"
"$top/scripts/cross-test.sh" armhf

stage "ASan + UBSan build: C++ and Python tests"
"$top/scripts/sanitize.sh" asan "$@"

stage "fuzzing (ASan + UBSan)"
"$top/scripts/fuzz.sh" "${PYNQ_REMOTE_FUZZ_SECONDS:-30}"

stage "TSan build: C++ and Python tests"
"$top/scripts/sanitize.sh" tsan -m "not yocto and not emulate and not loopdev and not docs"

stage "proto lint (buf)"
(cd "$top/proto" && node_modules/.bin/buf lint)
stage "proto breaking-change check (buf)"
"$top/proto/breaking.sh"
stage "done"
