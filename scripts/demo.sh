#!/usr/bin/env bash
# The main job on a bundled example: set up, then `clusterproof scan` the shipped non-compliant example.
# The example violates every control on purpose, so a failing gate (exit 1) is the expected outcome here.
source "$(dirname "$0")/lib.sh"
ensure_node
ensure_deps
cd "$CP_ROOT"
example="${1:-fixtures/examples/non-compliant}"
out="${2:-clusterproof-report}"
set +e
node bin/clusterproof.js scan "$example" --out "$out"
code=$?
set -e
case "$code" in
  0) log "gate passed; reports in $out/ (open $out/report.html)" ;;
  1) log "gate failed, as expected for $example; reports in $out/ (open $out/report.html)"; code=0 ;;
  *) log "scan could not run (exit $code)" ;;
esac
exit "$code"
