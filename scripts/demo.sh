#!/usr/bin/env bash
# Sets everything up, builds the server and shows pynq-remote against the
# simulated board: info, a write and read-back on the AXI GPIO model, a block
# read and a hexdump.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/install-deps.sh"
"$top/scripts/build-server.sh"

cli="$top/.venv/bin/pynq-remote"
log=$(mktemp)
trap 'kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null; rm -f "$log"' EXIT
"$cli" serve --sim --listen 127.0.0.1:0 --log-level warning >"$log" &
server_pid=$!
for _ in $(seq 100); do
    grep -q "listening on" "$log" && break
    sleep 0.1
done
PYNQ_REMOTE_DEVICES=$(sed -n 's/^pynq-remote-server listening on //p' "$log")
export PYNQ_REMOTE_DEVICES
[ -n "$PYNQ_REMOTE_DEVICES" ] || { echo "the sim server did not start" >&2; exit 1; }

run() { echo; echo "\$ pynq-remote $*"; "$cli" "$@"; }
run info
run mmio read 0xA0010004            # axi_gpio_1 GPIO_TRI: reset value 0xff (all inputs)
run mmio write 0xA0010004 0x0F      # upper four pins become outputs
run mmio write 0xA0010000 0x3C      # drive 0x3 on the outputs
run mmio read 0xA0010000            # inputs 0x5 from the pins, outputs 0x3: 0x35
run mmio write 0xA0100000 0x12345678
run mmio read 0xA0100000 4          # four words of block RAM in one call
run mmio dump 0xA0100000 32
run ping --count 3
echo; echo "The simulated board works. Run every test with: scripts/test.sh"
