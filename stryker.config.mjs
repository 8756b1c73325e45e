// Mutation testing of the static evaluators (issue 10 item 8): `npm run mutation`, outside CI.
// Narrow it with `npm run mutation -- --mutate 'harness/evaluate/apiEndpointPrivate.ts'` (comma-separated globs; a repeated --mutate replaces the previous one)
// and pick parallelism with `--concurrency N`.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'vitest',
  // Only the `unit` project (vitest.mutation.config.ts); `related` runs the test files that import the mutated file.
  vitest: { configFile: 'vitest.mutation.config.ts', related: true },
  // Each mutant runs only the tests that executed its code in the dry run.
  coverageAnalysis: 'perTest',
  mutate: ['harness/evaluate/**/*.ts'],
  // Messages and evidence wording: a changed string rarely changes a verdict.
  mutator: { excludedMutations: ['StringLiteral'] },
  // The score table and the survivors on stdout; no HTML report (reports/ is a source directory here).
  reporters: ['clear-text', 'progress'],
  clearTextReporter: { allowColor: false, logTests: false, reportMutants: true, reportScoreTable: true },
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
  concurrency: 2,
};
