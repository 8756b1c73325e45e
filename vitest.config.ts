import { defineConfig } from 'vitest/config';

// Two tiers: `unit` (pure + component tests, no cluster) and `live` (boots the real local cluster).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          // suites/ are the product's compliance suites: they run through `clusterproof scan|run`, which
          // provides the cluster state; test/run exercises them that way.
          include: ['test/**/*.test.ts'],
          exclude: ['test/live/**', 'node_modules/**'],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'live',
          include: ['test/live/**/*.test.ts'],
          testTimeout: 900_000,
          hookTimeout: 1_800_000,
          // One real cluster for the whole tier: `clusterproof up` (3 control planes + 2 workers) before, down after.
          globalSetup: ['test/live/globalSetup.ts'],
          // Files one at a time: they share the cluster and two cores.
          fileParallelism: false,
        },
      },
    ],
  },
});
