#!/usr/bin/env bash
# The test command (README and .ci/run): sets up what is missing, then runs
#   1. type check and format check (biome), 2. unit + component tests (no cluster), 3. Go tests of the probe images,
#   4. the live tier: Docker 26, the offline images, a real kind cluster, the live suites.
# Ends with one line of totals: "N passed, N failed, N skipped".
# CLUSTERPROOF_LIVE=0 skips tier 4 and says so (for a quick local loop; CI runs everything).
source "$(dirname "$0")/lib.sh"
ensure_node
ensure_deps
cd "$CP_ROOT"

results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT
status=0

log "1/4 type check and format check"
if ! npx tsc --noEmit -p .; then status=1; echo '{"failed":1}' > "$results/typecheck.json"; fi
# Formatting is checked, not applied: `npm run format` fixes it.
if ! npx biome format . > "$results/format.log" 2>&1; then
  status=1; tail -n 20 "$results/format.log" >&2; log "format check failed: run npm run format"; echo '{"failed":1}' > "$results/format.json"
fi
rm -f "$results/format.log"

log "2/4 unit and component tests"
bash scripts/setup-tools.sh || status=1
npx vitest run --project unit --reporter=default --reporter=json --outputFile.json="$results/unit.json" || status=1

log "3/4 probe images (Go) tests"
ensure_go 1.24 # lib.sh: a fresh machine has no Go >= 1.24 (bookworm's is 1.19)
for module in probe meshprobe; do
  (cd "images/$module" && go test -json ./... > "$results/go-$module.jsonl") || status=1
done

if [ "${CLUSTERPROOF_LIVE:-1}" = "0" ]; then
  log "4/4 live tier SKIPPED: CLUSTERPROOF_LIVE=0"
  echo '{"skippedTier":"live"}' > "$results/live-skipped.json"
else
  log "4/4 live tier: Docker, offline images, real kind cluster"
  bash scripts/setup-docker.sh || status=1
  bash scripts/images.sh build > /dev/null || status=1
  npx vitest run --project live --reporter=default --reporter=json --outputFile.json="$results/live.json" || status=1
fi

node scripts/totals.ts "$results" || status=1
exit "$status"
