#!/usr/bin/env bash
# Installs what the emulated targets and the Arm cross builds need on a
# Debian/Ubuntu machine, idempotently and only what is missing: the arm64 and
# armhf architectures in dpkg, the aarch64 and armhf cross compilers, the
# gRPC/protobuf/OpenSSL/avahi-core development packages the server links
# against and GoogleTest for its tests (both architectures), QEMU's system
# emulators and its user-mode emulators (qemu-aarch64, qemu-arm: the cross-
# built tests run under them, scripts/cross-test.sh), and what the Zynq-7000
# kernel build and the device-tree steps need (Debian's linux-source-6.1,
# dtc/fdtput). The arm64 kernel and
# busybox are not installed: `pynq-remote emulate` downloads their .debs
# with `apt-get download` into its cache and unpacks them there.
# Run scripts/install-deps.sh first (cmake, protoc, grpc_cpp_plugin).
set -euo pipefail

foreign_architectures=(arm64 armhf)
apt_packages=(
    g++-aarch64-linux-gnu g++-arm-linux-gnueabihf
    qemu-system-arm qemu-user
    # --soc zynq7000 builds its kernel from Debian's source; both Xilinx
    # SoCs' device trees are patched with fdtput.
    linux-source-6.1 gcc-arm-linux-gnueabihf make bc flex bison patch xz-utils
    device-tree-compiler
)
for arch in "${foreign_architectures[@]}"; do
    apt_packages+=(
        "libgrpc++-dev:$arch" "libprotobuf-dev:$arch" "libssl-dev:$arch"
        "libavahi-core-dev:$arch" "pkgconf:$arch"
        "libgtest-dev:$arch" "libgmock-dev:$arch"
    )
done

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

apt_get() {
    as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 "$@"
}

installed() {
    dpkg-query -W -f='${Status}\n' "$1" 2>/dev/null | grep -q "install ok installed"
}

# apt-get download of the arm64 .debs also needs the arm64 package lists,
# and installing the armhf ones the armhf lists.
lists_present() {
    local policy  # not piped into grep -q: pipefail would see apt-cache's SIGPIPE
    policy=$(apt-cache policy "busybox-static:$1" 2>/dev/null)
    grep -q 'Candidate: [0-9]' <<<"$policy"
}

updated=false
lists_missing=false
for arch in "${foreign_architectures[@]}"; do
    if ! dpkg --print-foreign-architectures | grep -qx "$arch"; then
        echo "Adding the $arch architecture to dpkg"
        as_root dpkg --add-architecture "$arch"
    fi
    lists_present "$arch" || lists_missing=true
done
if $lists_missing; then
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
