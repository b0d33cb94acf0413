#!/usr/bin/env bash
# Regenerates the committed Python stubs of the wire contract into
# cli/pynq_remote/v1/ with the grpcio-tools pinned in requirements-ci.txt.
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
