#!/usr/bin/env bash
# Builds the server with sanitizers (scripts/build-sanitized.sh) and runs the
# C++ tests (ctest) and the Python tests (pytest, against that server through
# $PYNQ_REMOTE_SERVER) under them. Every sanitizer report, from a test
# binary or from any server process a Python test started, goes to a file in
# target-server/build-FLAVOUR/sanitizer-reports/; any such file fails the run.
# Usage: scripts/sanitize.sh asan|tsan [PYTEST_ARGS...]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
flavour=${1:?usage: $0 asan|tsan [PYTEST_ARGS...]}
shift
"$top/scripts/build-sanitized.sh" "$flavour"
build="$top/target-server/build-$flavour"
reports="$build/sanitizer-reports"
rm -rf "$reports"
mkdir -p "$reports"

suppressions="$top/target-server/sanitizers"
case "$flavour" in
    asan)
        export ASAN_OPTIONS="log_path=$reports/asan:detect_leaks=1:check_initialization_order=1"
        export UBSAN_OPTIONS="log_path=$reports/ubsan:print_stacktrace=1:halt_on_error=1"
        export LSAN_OPTIONS="suppressions=$suppressions/lsan.supp:print_suppressions=0"
        ;;
    tsan)
        # gRPC and protobuf are the system's, not built with TSan: it cannot
        # see how they hand memory from thread to thread, and reports every
        # handover. ignore_noninstrumented_modules drops what their code does
        # through TSan's interceptors (malloc, memcpy, send...); races
        # between accesses of our own code are still reported.
        export TSAN_OPTIONS="log_path=$reports/tsan:ignore_noninstrumented_modules=1:second_deadlock_stack=1:suppressions=$suppressions/tsan.supp:print_suppressions=0"
        ;;
esac

check_reports() {
    local found
    found=$(find "$reports" -type f | sort)
    [ -z "$found" ] && return 0
    echo "== sanitizer reports ($flavour): $(echo "$found" | wc -l) file(s)" >&2
    local file
    for file in $found; do
        echo "--- $file" >&2
        head -c 20000 "$file" >&2
    done
    return 1
}

# Tests that measure memory read it to allow for the sanitizer's own.
export PYNQ_REMOTE_SANITIZER="$flavour"

status=0
echo "== C++ tests under $flavour (ctest)"
ctest --test-dir "$build" --output-on-failure -j"$(nproc)" || status=1
check_reports || status=1
rm -rf "$reports"; mkdir -p "$reports"

echo "== Python tests against the $flavour server (pytest)"
(cd "$top" && PYNQ_REMOTE_SERVER="$build/pynq-remote-server" \
    .venv/bin/python -m pytest -q "$@") || status=1
check_reports || status=1
exit "$status"
