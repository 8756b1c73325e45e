// Drives vitest programmatically over the compliance suites (the shipped suites/ plus any the user adds)
// and gathers the findings each test recorded. vitest's own console output stays quiet: our reports speak.
import { startVitest } from 'vitest/node';
import type { Reporter, TestCase } from 'vitest/node';
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError, RunError } from '../errors.ts';
import type { Finding } from '../model/findings.ts';
import { packageRoot } from '../paths.ts';
import type { SuiteRunContext } from '../model/liveCheck.ts';

interface SuiteRunResult {
  findings: Finding[];
  /** Tests that crashed outside the control checks (import errors, suite bugs): the run itself failed. */
  crashes: string[];
}

// From a checkout the .ts suites run as they are; an installed package runs the compiled ones in dist/
// (Node will not strip types under node_modules, and vitest leaves node_modules to Node).
const SHIPPED_SUITES = import.meta.url.endsWith('.ts') ? 'suites/**/*.test.ts' : 'dist/suites/**/*.test.js';

function userSuiteDir(dir: string): string {
  const absolute = resolve(dir);
  if (!existsSync(absolute) || !statSync(absolute).isDirectory()) {
    throw new InputError([
      {
        file: dir,
        pointer: '--suites',
        message: 'is not a directory',
        fix: 'pass a folder holding your *.test.ts suites, e.g. --suites ./compliance',
      },
    ]);
  }
  return absolute;
}

export async function runSuites(run: SuiteRunContext, extraSuiteDirs: string[] = []): Promise<SuiteRunResult> {
  const findings: Finding[] = [];
  const crashes: string[] = [];
  const collector: Reporter = {
    onTestCaseResult(testCase: TestCase) {
      const recorded = testCase.meta().clusterproofFindings;
      if (recorded) findings.push(...recorded);
      else if (testCase.result().state === 'failed') {
        crashes.push(
          `${testCase.fullName}: ${
            testCase
              .result()
              .errors?.map((e) => e.message)
              .join('; ') ?? 'failed'
          }`,
        );
      }
    },
    onTestModuleEnd(module) {
      for (const error of module.errors()) crashes.push(`${module.moduleId}: ${error.message}`);
    },
  };

  // vitest's root is the package (node_modules/clusterproof once installed): the user's folders are given from the cwd.
  const include = [SHIPPED_SUITES, ...extraSuiteDirs.map((dir) => `${userSuiteDir(dir)}/**/*.test.ts`)];
  const vitest = await startVitest('test', [], {
    root: packageRoot,
    config: false,
    watch: false,
    include,
    reporters: [collector],
    provide: { clusterproof: run },
    // One worker keeps the state parsed once; suites are CPU-light and live checks must not overlap.
    fileParallelism: false,
    isolate: false,
    testTimeout: run.mode === 'live' ? 900_000 : 60_000,
    passWithNoTests: false,
  }).catch((error: unknown) => {
    throw new RunError('could not start the compliance suites', { cause: error });
  });
  if (!vitest) throw new RunError('could not start the compliance suites (vitest returned nothing)');
  await vitest.close();
  for (const error of vitest.state.getUnhandledErrors()) crashes.push(String(error instanceof Error ? error.message : error));
  // vitest sets process.exitCode for failed tests; failing controls are our verdict, not a process failure.
  process.exitCode = undefined;
  return { findings, crashes };
}
