#!/usr/bin/env bash
# Installs what `pynq-remote build-image` and its tests need on a Debian or
# Ubuntu machine, idempotently:
#   - the Debian packages of the Yocto Project's host list (scarthgap), an
#     en_US.UTF-8 locale;
#   - kas (the pin of requirements-ci.txt) in a virtual environment made with
#     Debian's /usr/bin/python3 under /opt/pynq-remote-yocto, readable by
#     every user (another python3 may live in root's unreadable home);
#   - when run as root: the unprivileged user that runs kas and bitbake
#     (bitbake refuses root), default pynq-yocto, or $PYNQ_REMOTE_BUILD_USER.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
prefix=${PYNQ_REMOTE_YOCTO_PREFIX:-/opt/pynq-remote-yocto}
build_user=${PYNQ_REMOTE_BUILD_USER:-pynq-yocto}

# The Yocto Project's list for Debian (scarthgap "Required Packages for the
# Build Host"), plus python3-venv for the kas environment.
apt_packages=(
    gawk wget git diffstat unzip texinfo gcc g++ make build-essential chrpath
    socat cpio python3 python3-pip python3-pexpect python3-venv xz-utils
    debianutils iputils-ping python3-git python3-jinja2 python3-subunit zstd
    lz4 file locales libacl1 bzip2 patch
)

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

install_apt() {
    local pkg missing=()
    for pkg in "${apt_packages[@]}"; do
        dpkg-query -W -f='${Status}\n' "$pkg" 2>/dev/null | grep -q "install ok installed" \
            || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return
    echo "Installing Debian packages for Yocto: ${missing[*]}"
    as_root apt-get -o DPkg::Lock::Timeout=900 update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 \
        install -y -q --no-install-recommends "${missing[@]}"
}

install_locale() {
    locale -a 2>/dev/null | grep -qix 'en_US.utf8' && return
    echo "Generating the en_US.UTF-8 locale"
    as_root sed -i 's/^# *\(en_US.UTF-8 UTF-8\)/\1/' /etc/locale.gen
    grep -q '^en_US.UTF-8 UTF-8' /etc/locale.gen \
        || echo 'en_US.UTF-8 UTF-8' | as_root tee -a /etc/locale.gen >/dev/null
    as_root locale-gen >/dev/null
}

install_kas() {
    local pin
    pin=$(grep -E '^kas==' "$top/requirements-ci.txt")
    if [ -x "$prefix/kas/bin/kas" ] \
            && [ "$("$prefix/kas/bin/pip" freeze 2>/dev/null | grep -E '^kas==')" = "$pin" ]; then
        return
    fi
    echo "Installing $pin into $prefix/kas"
    as_root mkdir -p "$prefix"
    as_root /usr/bin/python3 -m venv "$prefix/kas"
    as_root "$prefix/kas/bin/pip" install -q --disable-pip-version-check "$pin"
    as_root chmod -R a+rX "$prefix"
}

install_build_user() {
    [ "$(id -u)" -eq 0 ] || return 0
    if ! id -u "$build_user" >/dev/null 2>&1; then
        echo "Creating the unprivileged build user $build_user (bitbake refuses root)"
        useradd -m -s /bin/bash "$build_user"
    fi
    # kas runs git without the user's HOME, so only the system git config can
    # let the build user's git read repositories root owns: this checkout and
    # the pinned layer copies of the offline tests, each by name.
    local dir shared=${PYNQ_REMOTE_SHARED:-$top/../shared}
    for dir in "$top" "$shared"/yocto/*.git; do
        [ -d "$dir" ] || continue
        dir=$(cd "$dir" && pwd -P)
        git config --system --get-all safe.directory 2>/dev/null | grep -qxF "$dir" \
            || git config --system --add safe.directory "$dir"
    done
}

install_apt
install_locale
install_kas
install_build_user
