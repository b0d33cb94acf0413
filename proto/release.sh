#!/usr/bin/env bash
# Records the wire contract of a release: buf images of proto/pynq_remote
# (the v1 API) and of proto/pynq_remote_compat (the PYNQ.remote protocol) in
# proto/releases/, which proto/breaking.sh compares every change against.
# Run it when a release is tagged, and commit what it writes with the tag.
# Usage: proto/release.sh   (records the version in pyproject.toml)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
buf=${BUF:-$here/node_modules/.bin/buf}
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$here/../pyproject.toml")
cd "$here"
"$buf" build --path pynq_remote --exclude-source-info -o releases/v1.binpb
"$buf" build pynq_remote_compat --exclude-source-info -o releases/compat.binpb
echo "$version" > releases/version
echo "recorded the wire contract of release $version in $here/releases"
