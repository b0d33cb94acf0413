#!/usr/bin/env bash
# Installs what pynq-remote needs on a Debian/Ubuntu machine, idempotently:
# Debian packages (only the missing ones), the Python environment in .venv
# with the pins of requirements-ci.txt, and the pinned buf for proto lint.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)

apt_packages=(
    build-essential cmake pkg-config
    libgrpc++-dev libprotobuf-dev protobuf-compiler protobuf-compiler-grpc libssl-dev
    libgtest-dev libgmock-dev
    clang-14 libclang-rt-14-dev
    python3 python3-venv
    nodejs npm
    bmap-tools e2fsprogs mount
    libavahi-core-dev iproute2
    lintian
)

missing_packages() {
    local pkg
    for pkg in "${apt_packages[@]}"; do
        dpkg-query -W -f='${Status}\n' "$pkg" 2>/dev/null | grep -q "install ok installed" \
            || echo "$pkg"
    done
}

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

install_apt() {
    local missing
    missing=$(missing_packages)
    # python3-venv and npm come with this machine's own Python and Node.js
    # when those are not Debian's; only ask apt for what has no working tool.
    if python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then
        missing=$(grep -vxE 'python3|python3-venv' <<<"$missing" || true)
    fi
    if command -v npm >/dev/null 2>&1; then
        missing=$(grep -vxE 'nodejs|npm' <<<"$missing" || true)
    fi
    [ -z "$missing" ] && return
    echo "Installing Debian packages: $(echo $missing)"
    as_root apt-get -o DPkg::Lock::Timeout=900 update -q
    # shellcheck disable=SC2086
    as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y -q --no-install-recommends $missing
}

install_python() {
    local stamp="$top/.venv/.installed"
    if [ ! -x "$top/.venv/bin/python" ]; then
        python3 -m venv "$top/.venv"
    fi
    if [ ! -f "$stamp" ] || [ "$top/requirements-ci.txt" -nt "$stamp" ] \
            || [ "$top/pyproject.toml" -nt "$stamp" ]; then
        "$top/.venv/bin/pip" install -q --disable-pip-version-check -r "$top/requirements-ci.txt"
        "$top/.venv/bin/pip" install -q --disable-pip-version-check --no-deps --no-build-isolation -e "$top"
        touch "$stamp"
    fi
}

install_buf() {
    if [ ! -x "$top/proto/node_modules/.bin/buf" ]; then
        npm ci --prefix "$top/proto" --no-audit --no-fund --loglevel=error
    fi
}

install_apt
install_python
install_buf
