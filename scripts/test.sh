#!/usr/bin/env bash
# Runs every test: installs what is missing, then
#  - the server built with ASan + UBSan: its C++ tests (ctest) and the Python
#    tests (pytest, against that server), any sanitizer report failing them;
#  - the libFuzzer targets of that build, each for a bounded time
#    ($PYNQ_REMOTE_FUZZ_SECONDS, default 30);
#  - the server built with TSan: the C++ and Python tests again;
#  - the proto lint (buf).
# The plain build (scripts/build-server.sh, used by scripts/demo.sh) is not
# needed here: the sanitizer builds compile the same code. Arguments go to
# the first pytest run.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
# Stage headers carry the seconds since the start, for CI's time budget.
stage() { echo "== [${SECONDS} s] $*"; }
"$top/scripts/install-deps.sh"

stage "ASan + UBSan build: C++ and Python tests"
"$top/scripts/sanitize.sh" asan "$@"

stage "fuzzing (ASan + UBSan)"
"$top/scripts/fuzz.sh" "${PYNQ_REMOTE_FUZZ_SECONDS:-30}"

stage "TSan build: C++ and Python tests"
"$top/scripts/sanitize.sh" tsan

stage "proto lint (buf)"
(cd "$top/proto" && node_modules/.bin/buf lint)
stage "done"
