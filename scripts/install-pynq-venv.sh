#!/usr/bin/env bash
# Installs the official `pynq` 4.0.0 host package from PyPI into .venv-pynq,
# a virtual environment of its own (pynq pins grpcio 1.64, protobuf 5 and
# numpy 1.26, which must not meet ours in .venv), with the exact versions of
# requirements-pynq.txt. Idempotent; fails loudly when it cannot install.
# Usage: scripts/install-pynq-venv.sh   (prints the interpreter's path)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
venv="$top/.venv-pynq"
stamp="$venv/.installed"
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
if [ ! -f "$stamp" ] || [ "$top/requirements-pynq.txt" -nt "$stamp" ]; then
    echo "Installing pynq 4.0.0 into $venv (once; takes a few minutes)" >&2
    # PYNQ_REMOTE=1: pynq's setup.py skips board-side builds and notebooks.
    PYNQ_REMOTE=1 "$venv/bin/pip" install -q --disable-pip-version-check \
        -r "$top/requirements-pynq.txt" 2> >(grep -v "is ignored: it is neither" >&2)
    "$venv/bin/python" -c 'import pynq.pl_server.remote_device' >/dev/null
    touch "$stamp"
fi
echo "$venv/bin/python"
