#!/usr/bin/env bash
# Installs the Helm CLI the chart tests use, built from the Go module proxy into a cache outside
# the repo. Idempotent: does nothing when the pinned version is already there.
# Prints the binary's path on stdout; the chart tests find it through $HELM or this same path.
set -euo pipefail
command -v go >/dev/null || { echo "install-helm: Go is needed to build helm (go install from the module proxy)" >&2; exit 1; }

HELM_VERSION="${HELM_VERSION:-v4.3.2}"
BIN_DIR="${KARPENTER_TS_CACHE:-$HOME/.cache/karpenter-ts}/bin"
TARGET="$BIN_DIR/helm-$HELM_VERSION"

# `helm version` of a `go install` build prints only major.minor, so read the module version instead.
if [[ -x "$TARGET" ]] && go version -m "$TARGET" 2>/dev/null | grep -Eq "^\s+mod\s+helm.sh/helm/v4\s+$HELM_VERSION\s"; then
  echo "$TARGET"
  exit 0
fi

mkdir -p "$BIN_DIR"
build_dir="$(mktemp -d)"
trap 'rm -rf "$build_dir"' EXIT
echo "install-helm: building helm $HELM_VERSION (go install, a few minutes the first time)" >&2
GOBIN="$build_dir" CGO_ENABLED=0 go install "helm.sh/helm/v4/cmd/helm@$HELM_VERSION" >&2
# Move into place only once built, so an interrupted build never leaves a half-written binary.
mv "$build_dir/helm" "$TARGET.tmp" && mv "$TARGET.tmp" "$TARGET"
ln -sfn "helm-$HELM_VERSION" "$BIN_DIR/helm"
echo "$TARGET"
