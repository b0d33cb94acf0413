#!/usr/bin/env bash
# Installs what the emulated target needs on a Debian/Ubuntu machine,
# idempotently and only what is missing: the arm64 architecture in dpkg, the
# aarch64 cross compiler, the arm64 gRPC/protobuf/OpenSSL development
# packages the server links against, and QEMU for aarch64. The arm64 kernel
# and busybox are not installed: `pynq-remote emulate` downloads their .debs
# with `apt-get download` into its cache and unpacks them there.
# Run scripts/install-deps.sh first (cmake, protoc, grpc_cpp_plugin).
set -euo pipefail

apt_packages=(
    g++-aarch64-linux-gnu
    libgrpc++-dev:arm64 libprotobuf-dev:arm64 libssl-dev:arm64 libavahi-core-dev:arm64
    pkgconf:arm64 qemu-system-arm
)

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

apt_get() {
    as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 "$@"
}

installed() {
    dpkg-query -W -f='${Status}\n' "$1" 2>/dev/null | grep -q "install ok installed"
}

# apt-get download of the arm64 .debs also needs the arm64 package lists.
arm64_lists_present() {
    local policy  # not piped into grep -q: pipefail would see apt-cache's SIGPIPE
    policy=$(apt-cache policy busybox-static:arm64 2>/dev/null)
    grep -q 'Candidate: [0-9]' <<<"$policy"
}

updated=false
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    echo "Adding the arm64 architecture to dpkg"
    as_root dpkg --add-architecture arm64
fi
if ! arm64_lists_present; then
    apt_get update -q
    updated=true
fi

missing=()
for pkg in "${apt_packages[@]}"; do
    installed "$pkg" || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
    echo "Installing Debian packages: ${missing[*]}"
    $updated || apt_get update -q
    apt_get install -y -q --no-install-recommends "${missing[@]}"
fi
