#!/usr/bin/env node
// In a checkout the TypeScript source runs directly (Node >= 22.18 strips types); an installed
// package ships only the compiled dist/, since Node will not strip types under node_modules.
import { existsSync } from 'node:fs';

const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  process.stderr.write(
    `clusterproof needs Node.js >= 22 (this is ${process.version}).\n  fix: run scripts/setup.sh, which fetches Node 24, and put it first on PATH as that script prints\n`,
  );
  process.exit(2);
}

const source = new URL('../harness/cli/main.ts', import.meta.url);
const built = new URL('../dist/harness/cli/main.js', import.meta.url);
await import((existsSync(source) ? source : built).href);
