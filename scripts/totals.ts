// Sums the test tiers' machine-readable results into the one closing line CI reads:
// "N passed, N failed, N skipped". A tier that crashed before writing results counts as a failure.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

interface VitestJson {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  success: boolean;
}

const dir = process.argv[2];
if (!dir || !existsSync(dir)) throw new Error('usage: node scripts/totals.ts <results dir>');
let passed = 0;
let failed = 0;
let skipped = 0;
const expected = ['unit.json'];
for (const tier of expected)
  if (!existsSync(join(dir, tier))) {
    failed += 1;
    console.error(`tier ${tier} wrote no results (crashed?)`);
  }

for (const file of readdirSync(dir)) {
  const text = readFileSync(join(dir, file), 'utf8');
  if (file === 'typecheck.json' || file === 'format.json') failed += 1;
  else if (file === 'live-skipped.json') console.error('live tier skipped (CLUSTERPROOF_LIVE=0)');
  else if (file.endsWith('.jsonl')) {
    // go test -json: one event per line; count test-level pass/fail/skip.
    for (const line of text.split('\n')) {
      if (!line.startsWith('{')) continue;
      const event = JSON.parse(line) as { Action?: string; Test?: string };
      if (!event.Test) continue;
      if (event.Action === 'pass') passed += 1;
      else if (event.Action === 'fail') failed += 1;
      else if (event.Action === 'skip') skipped += 1;
    }
  } else {
    const r = JSON.parse(text) as VitestJson;
    passed += r.numPassedTests;
    failed += r.numFailedTests;
    skipped += r.numPendingTests + r.numTodoTests;
    if (!r.success && r.numFailedTests === 0) {
      failed += 1;
      console.error(`${file}: the run failed outside any test (suite import error?)`);
    }
  }
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exitCode = failed > 0 ? 1 : 0;
