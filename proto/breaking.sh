#!/usr/bin/env bash
# Fails when the protos break compatibility with the last release: the v1
# API and the PYNQ.remote protocol, each against its image in releases/
# (written by proto/release.sh), with the rules of buf.yaml. Runs offline.
# Usage: proto/breaking.sh [PROTO_DIR]   (default: this directory)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=$(cd "${1:-$here}" && pwd)
buf=${BUF:-$here/node_modules/.bin/buf}
cd "$dir"
echo "checking against the wire contract of release $(cat releases/version)"
status=0
"$buf" breaking --path pynq_remote --against releases/v1.binpb || status=$?
"$buf" breaking pynq_remote_compat --against releases/compat.binpb || status=$?
exit "$status"
