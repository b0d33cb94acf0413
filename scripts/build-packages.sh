#!/usr/bin/env bash
# Writes every artifact of a release into dist/:
#  - the sdist and the wheel of pynq-remote (python -m build; twine check);
#  - the .deb of pynq-remote-server for amd64 (a Release build in
#    target-server/build-deb, or the build folder $PYNQ_REMOTE_HOST_BUILD
#    configured the same way, e.g. a wheel's first-use build), for arm64
#    (the cross build the emulated target boots, target-server/build-aarch64)
#    and for armhf when scripts/cross-build-server.sh can build it.
# PYNQ_REMOTE_DEB_ARCHES limits the .debs, e.g. "amd64" (default: all three).
# Needs scripts/install-deps.sh and scripts/install-emulate-deps.sh.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
dist="$top/dist"
python="${PYTHON:-$top/.venv/bin/python}"
version=$(cat "$top/target-server/VERSION")
stage() { echo "== [${SECONDS} s] $*"; }
# How every packaged server is configured (the wheel's first-use build too:
# pynq_remote/sources/serverbuild.py).
# The cross builds are configured so by scripts/cross-build-server.sh already.
package_options=(-DPYNQ_REMOTE_DEB=ON
                 -DPYNQ_REMOTE_DEFAULT_SIM_CONFIG=/usr/share/pynq-remote/sim-board.textproto)

mkdir -p "$dist"
rm -f "$dist"/pynq_remote-"$version"* "$dist"/pynq-remote-server_"$version"_*.deb

stage "sdist and wheel"
# The wheel is built from the sdist, so the sdist is known to be complete.
"$python" -m build --no-isolation --outdir "$dist" "$top" >/dev/null
"$python" -m twine check --strict "$dist"/pynq_remote-"$version"*

deb() {  # build folder: runs cpack there, moves the .deb into dist/
    local work="$1/cpack"
    rm -rf "$work"
    (cd "$1" && cpack -G DEB -B "$work" >/dev/null)
    mv "$work"/pynq-remote-server_"$version"_*.deb "$dist"/
}

arches=" ${PYNQ_REMOTE_DEB_ARCHES:-amd64 arm64 armhf} "

if [[ $arches == *" amd64 "* ]]; then
    stage ".deb amd64"
    host_build="${PYNQ_REMOTE_HOST_BUILD:-$top/target-server/build-deb}"
    if [ ! -f "$host_build/CMakeCache.txt" ]; then
        cmake -S "$top/target-server" -B "$host_build" -DCMAKE_BUILD_TYPE=Release \
            -DPYNQ_REMOTE_BUILD_TESTS=OFF "${package_options[@]}" >/dev/null
    fi
    cmake --build "$host_build" -j"$(nproc)" --target pynq-remote-server
    deb "$host_build"
fi

if [[ $arches == *" arm64 "* ]]; then
    stage ".deb arm64"
    "$top/scripts/cross-build-server.sh" "${package_options[@]}"
    deb "$top/target-server/build-aarch64"
fi

if [[ $arches == *" armhf "* ]] && grep -q armhf "$top/scripts/cross-build-server.sh"; then
    stage ".deb armhf"
    "$top/scripts/cross-build-server.sh" armhf "${package_options[@]}"
    deb "$top/target-server/build-armhf"
fi
stage "done"
ls -l "$dist"
