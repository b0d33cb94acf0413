#!/usr/bin/env bash
# Builds the libFuzzer targets (target-server/fuzz/, into build-asan with ASan
# and UBSan) and runs each for a bounded time, $(nproc) at a time, starting
# from the seeds in target-server/fuzz/corpus/<target>/ (text format, encoded
# here) and the corpus grown by earlier runs in build-asan/fuzz-corpus/.
# Fails when a target crashes, leaks, trips a sanitizer or a check; the
# input that did it is left in build-asan/fuzz-artifacts/ (replay it with
# `build-asan/fuzz/TARGET FILE`).
# Usage: scripts/fuzz.sh [SECONDS_PER_TARGET [TARGET...]]   (default 30 s, all)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-30}
shift || true
"$top/scripts/build-sanitized.sh" asan
build="$top/target-server/build-asan"
fuzz_src="$top/target-server/fuzz"
if [ $# -gt 0 ]; then
    targets=("$@")
else
    IFS=";" read -r -a targets < "$build/fuzz/targets.txt" || true
fi

# Seeds: each file names its message on a "# proto-message:" line.
encode_seeds() {
    local target=$1 out=$2 seed message
    mkdir -p "$out"
    for seed in "$fuzz_src/corpus/$target"/*.textproto; do
        message=$(sed -n 's/^# proto-message: *//p' "$seed" | head -n1)
        protoc --proto_path="$fuzz_src" --proto_path="$top/proto" \
            --encode="$message" fuzz_input.proto < "$seed" \
            > "$out/$(basename "$seed" .textproto).bin"
    done
}

run_target() {
    local target=$1 log="$build/fuzz-logs/$1.log"
    local seeds="$build/fuzz-seeds/$target" corpus="$build/fuzz-corpus/$target"
    encode_seeds "$target" "$seeds"
    mkdir -p "$corpus" "$build/fuzz-artifacts"
    if ASAN_OPTIONS="detect_leaks=1" UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
        "$build/fuzz/$target" -max_total_time="$seconds" -timeout=20 \
            -rss_limit_mb=2048 -print_final_stats=1 \
            -artifact_prefix="$build/fuzz-artifacts/$target-" \
            "$corpus" "$seeds" > "$log" 2>&1; then
        local runs
        runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
        printf '%-28s ok: %s executions in %s s, corpus %s inputs\n' \
            "$target" "$runs" "$seconds" "$(find "$corpus" -type f | wc -l)"
    else
        echo "$target FAILED; its log ($log) ends:" >&2
        tail -n 60 "$log" >&2
        return 1
    fi
}

mkdir -p "$build/fuzz-logs"
rm -f "$build"/fuzz-logs/*.failed
echo "== fuzzing ${#targets[@]} targets for $seconds s each"
for target in "${targets[@]}"; do
    # At most $(nproc) targets at once.
    while [ "$(jobs -rp | wc -l)" -ge "$(nproc)" ]; do wait -n || true; done
    { run_target "$target" || touch "$build/fuzz-logs/$target.failed"; } &
done
wait
if compgen -G "$build/fuzz-logs/*.failed" >/dev/null; then
    echo "fuzzing failed: $(cd "$build/fuzz-logs" && ls -- *.failed | sed 's/.failed$//' | tr '\n' ' ')" >&2
    exit 1
fi
