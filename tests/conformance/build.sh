#!/usr/bin/env bash
# Builds the OCI distribution-spec conformance suite with Debian 12's Go 1.19, offline.
#
# The suite is not part of berth and is not committed here: bring a copy of
# github.com/opencontainers/distribution-spec (a checkout or a bare git directory) yourself.
# Upstream needs Go 1.24; Debian 12 has 1.19 and CI machines reach no Go module proxy. So this
# script builds in GOPATH mode against Debian's Go packages plus image-spec v1.1.x, after small
# mechanical edits (range over ints, errors.Join, rand.Text, ...) and with the stand-ins in
# go119/ for the few newer standard-library packages the suite uses.
#
# usage: tests/conformance/build.sh <distribution-spec repo> <image-spec repo> [commit] [out]
#   commit  distribution-spec commit to build (default HEAD; docs/conformance.md names the one used)
#   out     binary to write (default .berth/conformance/conformance)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BERTH_HOME=${BERTH_HOME:-$ROOT/.berth}
SPEC_REPO=${1:?usage: build.sh <distribution-spec repo> <image-spec repo> [commit] [out]}
IMAGE_REPO=${2:?usage: build.sh <distribution-spec repo> <image-spec repo> [commit] [out]}
COMMIT=${3:-HEAD}
OUT=${4:-$BERTH_HOME/conformance/conformance}

for pkg in golang-go golang-github-goccy-go-yaml-dev golang-github-opencontainers-go-digest-dev; do
  dpkg -s "$pkg" >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq "$pkg" >/dev/null; }
done

GOP=$(mktemp -d)
trap 'rm -rf "$GOP"' EXIT
SRC=$GOP/src/github.com/opencontainers/distribution-spec
mkdir -p "$SRC" "$GOP/src/github.com/opencontainers/image-spec"
git -C "$SPEC_REPO" archive "$COMMIT" conformance specs-go | tar -x -C "$SRC"
# image-spec from Debian 12 predates v1.1 (no artifactType): use a v1.1 tag.
IMAGE_TAG=$(git -C "$IMAGE_REPO" tag --list 'v1.1.*' | grep -v -- -rc | sort -V | tail -1)
git -C "$IMAGE_REPO" archive "$IMAGE_TAG" specs-go | tar -x -C "$GOP/src/github.com/opencontainers/image-spec"
cp -r "$HERE/go119/slices" "$HERE/go119/maps" "$GOP/src/"
mkdir -p "$GOP/src/log" && cp -r "$HERE/go119/log/slog" "$GOP/src/log/"
cp "$HERE/go119/compat119.go" "$SRC/conformance/"

cd "$SRC/conformance"
# Go 1.20+ spellings, rewritten to what compat119.go provides.
sed -i -e 's/errors\.Join(/errorsJoin(/g' -e 's/strings\.CutPrefix(/cutPrefix(/g' \
  -e 's/fmt\.Errorf("%\.0w%w", /wrap2(/g' -e 's/rand\.Text()/randText()/g' \
  -e 's/strings\.SplitSeq(/strings.Split(/g' -e 's/for filter := range strings\.Split(/for _, filter := range strings.Split(/' \
  -e 's/reflect\.TypeFor\[string\]()/reflect.TypeOf("")/g' *.go
# Go 1.22 range over integers.
sed -i -E -e 's/for ([a-z]+) := range (stateAPIMax) \{/for \1 := stateAPIType(0); \1 < \2; \1++ {/' \
  -e 's/for ([a-z]+) := range (statusMax) \{/for \1 := status(0); \1 < \2; \1++ {/' \
  -e 's/for ([a-z]+) := range ([0-9]+) \{/for \1 := 0; \1 < \2; \1++ {/' \
  -e 's/for ([a-z]+) := range (gOpt\.layerCount) \{/for \1 := 0; \1 < \2; \1++ {/' *.go
# errors.Join is gone from these files; drop the now unused import (the compiler insists).
for f in api.go results.go; do
  grep -q 'errors\.' "$f" || sed -i '0,/^\t"errors"$/{/^\t"errors"$/d}' "$f"
done
mkdir -p "$(dirname "$OUT")"
GO111MODULE=off GOPATH="$GOP:/usr/share/gocode" go build -o "$OUT" .
echo "built $OUT from distribution-spec $(git -C "$SPEC_REPO" rev-parse --short "$COMMIT") (image-spec $IMAGE_TAG)"
