#!/usr/bin/env bash
# Regenerates the committed Python stubs of the wire contract into
# cli/pynq_remote/v1/ and, for the PYNQ.remote compatibility protocol,
# cli/pynq_remote/compat/, with the grpcio-tools pinned in requirements-ci.txt.
# Usage: proto/generate-python.sh [OUTPUT_ROOT]   (default: cli)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
out=${1:-$top/cli}
python=${PYTHON:-$top/.venv/bin/python}
mkdir -p "$out"
"$python" -m grpc_tools.protoc -I "$here" \
    --python_out="$out" --pyi_out="$out" --grpc_python_out="$out" \
    "$here"/pynq_remote/v1/*.proto
touch "$out/pynq_remote/v1/__init__.py"
# The compatibility protos keep PYNQ's package names; generated under
# pynq_remote.compat so they import only when the legacy client needs them.
"$python" -m grpc_tools.protoc -I "pynq_remote/compat=$here/pynq_remote_compat" \
    --python_out="$out" --pyi_out="$out" --grpc_python_out="$out" \
    "$here"/pynq_remote_compat/*.proto
touch "$out/pynq_remote/compat/__init__.py"
