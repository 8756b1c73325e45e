#!/usr/bin/env bash
# Sets up everything clusterproof needs on this machine, idempotently and cached:
#   scripts/setup.sh          Node 24 (if the system Node is older) + npm dependencies
#   scripts/setup.sh --live   also Docker 26 and the offline kind node, load-balancer and probe images
# Prints the PATH line to use the Node it picked.
source "$(dirname "$0")/lib.sh"

ensure_node
ensure_deps
bash "$CP_ROOT/scripts/setup-tools.sh"
if [ "${1:-}" = "--live" ]; then
  bash "$CP_ROOT/scripts/setup-docker.sh"
  bash "$CP_ROOT/scripts/images.sh" build >/dev/null
fi
log "ready: node $(node --version) at $(command -v node)"
echo "export PATH=\"$(dirname "$(command -v node)"):\$PATH\""
