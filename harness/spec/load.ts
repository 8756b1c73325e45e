// Loads a ClusterSpec: YAML with positions → JSON Schema (all errors) → semantic checks → documented defaults.
// Any problem throws one InputError listing all of them with file:line:column, pointer and fix; nothing half-loaded
// is ever returned.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { loadControls } from '../controls/load.ts';
import { errorMessage, InputError, type InputProblem } from '../errors.ts';
import type { ClusterSpec } from '../model/spec.ts';
import { packagePath } from '../paths.ts';
import { withDefaults } from './defaults.ts';
import { validateAgainst, type JsonSchema } from './schemaValidator.ts';
import { specProblems } from './specChecks.ts';
import { parseYamlSource } from './yamlSource.ts';

const SPEC_SCHEMA_FILE = packagePath('harness', 'spec', 'clusterspec.schema.json');

interface LoadedSpec {
  /** The spec with documented defaults applied (see defaults.ts). */
  spec: ClusterSpec;
  /** sha256 of the file's bytes, for the run manifest. */
  sha256: string;
  file: string;
}

export async function loadSpec(file: string): Promise<LoadedSpec> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'is a directory, not a file'
          : code === 'EACCES'
            ? 'permission denied'
            : errorMessage(error);
    throw new InputError(
      [
        {
          file,
          message: `cannot read the spec: ${why}`,
          fix: 'pass the path of a ClusterSpec YAML file, e.g. fixtures/specs/valid-minimal.yaml',
        },
      ],
      { cause: error },
    );
  }
  const spec = parseSpec(bytes.toString('utf8'), file);
  return { spec, sha256: createHash('sha256').update(bytes).digest('hex'), file };
}

let schema: JsonSchema | undefined;

export function specSchema(): JsonSchema {
  schema ??= JSON.parse(readFileSync(SPEC_SCHEMA_FILE, 'utf8')) as JsonSchema;
  return schema;
}

/** Parses and validates spec text; `file` is only used in messages. Throws InputError with every problem. */
export function parseSpec(text: string, file: string): ClusterSpec {
  const parsed = parseYamlSource(text, file);
  if (!parsed.source) throw new InputError(parsed.problems);
  const problems: InputProblem[] = [
    ...validateAgainst(specSchema(), parsed.source),
    ...specProblems(
      parsed.source,
      loadControls().map((c) => c.id),
    ),
  ];
  if (problems.length > 0) throw new InputError(sortByPosition(problems));
  return withDefaults(parsed.source.value as ClusterSpec);
}

function sortByPosition(problems: InputProblem[]): InputProblem[] {
  return problems
    .map((p, i) => ({ p, i }))
    .sort((a, b) => (a.p.line ?? 0) - (b.p.line ?? 0) || (a.p.column ?? 0) - (b.p.column ?? 0) || a.i - b.i)
    .map(({ p }) => p);
}
