#!/usr/bin/env bash
# Installs the rendering tools `scan` runs on kustomize directories and Helm charts: helm and kustomize, built
# from the Go module proxy at the versions pinned in harness/collect/render/tools.json, into
# $CP_CACHE/bin/<name>-<version>/. Idempotent: a second run only prints "ready".
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TOOLS_JSON="$CP_ROOT/harness/collect/render/tools.json"
BIN="$CP_CACHE/bin"
LOGS="$CP_CACHE/logs"
mkdir -p "$BIN" "$LOGS"
command -v node >/dev/null || die "node not found: run scripts/setup.sh first"
command -v go >/dev/null || die "go not found: install Go (https://go.dev/dl) to build helm and kustomize"

# pin TOOL FIELD: a value from tools.json.
pin() { node -e 'const t=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));process.stdout.write(String(t[process.argv[2]][process.argv[3]]))' "$TOOLS_JSON" "$1" "$2"; }

# go_install_tool NAME LDFLAGS: go install the pinned package into $BIN/NAME-VERSION once (stamped by version,
# ldflags and toolchain, so changing a pin rebuilds).
go_install_tool() {
  local name="$1" ldflags="$2" version package toolchain dir want logf
  version="$(pin "$name" version)"
  package="$(pin "$name" package)"
  toolchain="$(pin "$name" goToolchain)"
  dir="$BIN/$name-$version"
  want="$name $version $toolchain $ldflags"
  if [ -x "$dir/$name" ] && [ -f "$dir/.stamp" ] && [ "$(cat "$dir/.stamp")" = "$want" ]; then return 0; fi
  logf="$LOGS/go-$name-$version.log"
  log "installing $name $version (go install $package; log: $logf)"
  rm -rf "$dir.tmp" && mkdir -p "$dir.tmp"
  GOTOOLCHAIN="$toolchain" GOBIN="$dir.tmp" CGO_ENABLED=0 go install -trimpath -ldflags "$ldflags" "$package@$version" > "$logf" 2>&1 \
    || { tail -n 15 "$logf" >&2; die "go install $package@$version failed; full log: $logf"; }
  echo "$want" > "$dir.tmp/.stamp"
  rm -rf "$dir" && mv "$dir.tmp" "$dir"
}

# helm's release ldflags (its Makefile): the version, and the default Kubernetes version (client-go v0.N → 1.N)
# helm assumes without --kube-version; without them helm believes the cluster is v1.20 and refuses most charts.
helm_ldflags() {
  local version module dir minor
  version="$(pin helm version)"
  module="$(pin helm module)"
  dir="$(cd /tmp && GOTOOLCHAIN="$(pin helm goToolchain)" go mod download -json "$module@$version" | sed -n 's/^\s*"Dir": "\(.*\)",$/\1/p')"
  minor="$(sed -n 's/^\s*k8s.io\/client-go v0\.\([0-9]*\)\..*/\1/p' "$dir/go.mod")"
  [ -n "$minor" ] || die "cannot read helm's client-go version from $dir/go.mod"
  printf '%s' "-s -w -X helm.sh/helm/v3/internal/version.version=$version -X helm.sh/helm/v3/internal/version.gitTreeState=clean" \
    " -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMinor=$minor" \
    " -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor=$minor"
}

KUSTOMIZE_VERSION="$(pin kustomize version)"
go_install_tool kustomize "-s -w -X sigs.k8s.io/kustomize/api/provenance.version=kustomize/$KUSTOMIZE_VERSION"
# The helm stamp needs helm's go.mod (module cache); skip the lookup when this exact version is already built.
HELM_DIR="$BIN/helm-$(pin helm version)"
if [ ! -x "$HELM_DIR/helm" ] || ! grep -q "version=$(pin helm version) " "$HELM_DIR/.stamp" 2>/dev/null; then
  go_install_tool helm "$(helm_ldflags)"
fi
log "ready: helm $(pin helm version), kustomize $KUSTOMIZE_VERSION in $BIN"

# ensure_moto_venv: moto's local AWS API server (`moto_server`) and the AWS CLI, pinned, in a venv under the cache
# (never the system Python). The AWS collector's tests start moto on loopback and gather it with both. Stamped by
# the pins, so a second run only checks the stamp.
MOTO_VERSION="5.2.6"
AWSCLI_VERSION="1.46.3"
ensure_moto_venv() {
  local dir="$CP_CACHE/venv-moto" want="moto[server]==$MOTO_VERSION awscli==$AWSCLI_VERSION" logf="$LOGS/venv-moto.log"
  if [ -x "$dir/bin/moto_server" ] && [ -x "$dir/bin/aws" ] && [ "$(cat "$dir/.stamp" 2>/dev/null)" = "$want" ]; then return 0; fi
  command -v python3 >/dev/null || die "python3 not found: install python3 and python3-venv (apt-get install python3-venv) for the moto tests"
  log "installing $want into $dir (log: $logf)"
  # venv scripts hard-code their interpreter path, so build in place; the stamp is written last, so a failed
  # install is redone from scratch on the next run.
  rm -rf "$dir"
  { python3 -m venv "$dir" && "$dir/bin/python" -m pip install --disable-pip-version-check $want; } > "$logf" 2>&1 \
    || { tail -n 15 "$logf" >&2; die "could not install $want (python3 -m venv + pip); full log: $logf"; }
  echo "$want" > "$dir/.stamp"
}
ensure_moto_venv
log "ready: moto $MOTO_VERSION and aws-cli $AWSCLI_VERSION in $CP_CACHE/venv-moto/bin"

# ensure_chromium: Debian's headless Chromium, which the HTML report test drives through playwright-core (npm) to
# check the page as a person sees it. New packages only (apt_install refuses upgrades); a second run only checks.
ensure_chromium() {
  apt_install chromium
}
ensure_chromium
log "ready: $(/usr/bin/chromium --version 2>/dev/null || echo chromium) at /usr/bin/chromium"
