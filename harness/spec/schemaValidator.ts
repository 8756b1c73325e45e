// One ajv instance for every schema the package ships. allErrors: a user fixing a spec wants every problem in one
// run; verbose: the error carries its parent schema, which is where the examples for "how to fix" come from.
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { InputProblem } from '../errors.ts';
import { schemaProblems } from './schemaProblems.ts';
import type { YamlSource } from './yamlSource.ts';

const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true });
// 'full' mode: `date` rejects 2026-02-30, not just the shape.
addFormats.default(ajv, { mode: 'full', formats: ['date'] });

const compiled = new Map<string, ValidateFunction>();

export type JsonSchema = { [key: string]: unknown };

/** Validates a parsed YAML source against a schema; returns every problem positioned in the file. */
export function validateAgainst(schema: JsonSchema, source: YamlSource): InputProblem[] {
  const id = typeof schema.$id === 'string' ? schema.$id : JSON.stringify(schema);
  let validate = compiled.get(id);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(id, validate);
  }
  if (validate(source.value)) return [];
  return schemaProblems(validate.errors ?? [], source, schema);
}
