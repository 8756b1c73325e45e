import { defineConfig } from 'vitest/config';
import base from './vitest.config.ts';

// Stryker's vitest runner (npm run mutation) has no project option, and related-file selection could reach
// test/live, whose globalSetup boots a real cluster. This config keeps only the `unit` project of vitest.config.ts.
const unit = (base.test?.projects ?? []).filter((p) => typeof p === 'object' && 'test' in p && p.test?.name === 'unit');
if (unit.length !== 1) throw new Error('vitest.mutation.config.ts: vitest.config.ts has no `unit` project');

export default defineConfig({ test: { projects: unit } });
