// Turns ajv's errors into problems a person can act on: plain words, the position in the YAML file, and an
// example fix taken from the schema's own `examples` (so the schema stays the one place that knows the fields).
import type { ErrorObject } from 'ajv';
import { stringify } from 'yaml';
import type { InputProblem } from '../errors.ts';
import { closest } from './closest.ts';
import { joinPointer, parsePointer, type YamlSource } from './yamlSource.ts';

type JsonSchema = { [key: string]: unknown };

export function schemaProblems(errors: readonly ErrorObject[], source: YamlSource, rootSchema: JsonSchema): InputProblem[] {
  const problems: InputProblem[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    // `if` failures only repeat what the `then` branch already reported.
    if (error.keyword === 'if') continue;
    const problem = toProblem(error, source, rootSchema);
    const key = `${problem.pointer}|${problem.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(problem);
  }
  return problems;
}

function toProblem(error: ErrorObject, source: YamlSource, root: JsonSchema): InputProblem {
  const path = error.instancePath;
  const field = lastSegment(path);
  const value = valueAt(source.value, path);
  const schema = resolve(asSchema(error.parentSchema), root);
  const at = (pointer: string, key = false) => ({ file: source.file, ...source.locate(pointer, { key }), pointer });
  const params = error.params as Record<string, unknown>;

  switch (error.keyword) {
    case 'required': {
      const missing = String(params.missingProperty);
      const propSchema = resolve(asSchema(asSchema(schema?.properties)?.[missing]), root);
      return {
        ...at(path),
        pointer: joinPointer(path, missing),
        message: `missing required field "${missing}"${describeField(propSchema)}`,
        fix: exampleFix(missing, propSchema, `add "${missing}:" under ${path === '' ? 'the top level' : `"${field}"`}`),
      };
    }
    case 'additionalProperties': {
      const unknown = String(params.additionalProperty);
      const known = Object.keys(asSchema(schema?.properties) ?? {});
      const guess = closest(unknown, known);
      return {
        ...at(joinPointer(path, unknown), true),
        message: `unknown field "${unknown}"${guess ? ` (did you mean "${guess}"?)` : ''}`,
        fix: guess ? `rename it to "${guess}"` : `remove it; fields allowed here: ${known.join(', ')}`,
      };
    }
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(String);
      const guess = typeof value === 'string' ? closest(value, allowed) : undefined;
      return {
        ...at(path),
        message: `expected one of ${allowed.join(', ')}; got ${show(value)}`,
        fix: `e.g. ${field}: ${guess ?? allowed[0]}`,
      };
    }
    case 'const':
      return {
        ...at(path),
        message: `expected ${show(params.allowedValue)}; got ${show(value)}`,
        fix: `${field}: ${String(params.allowedValue)}`,
      };
    case 'type': {
      const expected = String(params.type);
      return {
        ...at(path),
        message: `expected ${article(expected)}; got ${describeValue(value)}`,
        fix: typeFix(field, expected, value, schema),
      };
    }
    case 'pattern':
      return {
        ...at(path),
        message: `${show(value)} is not in the expected form${describeField(schema)}`,
        fix: exampleFix(field, schema, 'see the field description in the schema'),
      };
    case 'format':
      return params.format === 'date'
        ? {
            ...at(path),
            message: `${show(value)} is not a real calendar date in the form YYYY-MM-DD`,
            fix: `e.g. ${field}: ${exampleOf(schema) ?? '2026-12-31'}`,
          }
        : {
            ...at(path),
            message: `${show(value)} is not a valid ${String(params.format)}`,
            fix: exampleFix(field, schema, `use a valid ${String(params.format)}`),
          };
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return {
        ...at(path),
        message: `must be ${String(params.comparison)} ${String(params.limit)}; got ${show(value)}`,
        fix: exampleFix(field, schema, `use a number ${String(params.comparison)} ${String(params.limit)}`),
      };
    case 'minItems':
      return {
        ...at(path),
        message: `must list at least ${String(params.limit)} item${params.limit === 1 ? '' : 's'}`,
        fix: exampleFix(field, schema, 'add an item, or remove the field'),
      };
    case 'minLength':
      return { ...at(path), message: 'must not be empty', fix: exampleFix(field, schema, 'give a value, or remove the field') };
    default:
      return { ...at(path), message: error.message ?? `fails schema rule ${error.keyword}` };
  }
}

function typeFix(field: string, expected: string, value: unknown, schema: JsonSchema | undefined): string {
  // YAML 1.2 (what we parse) reads yes/no/on/off as strings, unlike YAML 1.1 tools; say so, it is the usual trap.
  if (expected === 'boolean' && typeof value === 'string' && /^(yes|no|on|off|y|n)$/i.test(value)) {
    return `write ${field}: true or ${field}: false (YAML 1.2 reads "${value}" as a string)`;
  }
  if (
    (expected === 'integer' || expected === 'number') &&
    typeof value === 'string' &&
    value.trim() !== '' &&
    !Number.isNaN(Number(value))
  ) {
    return `remove the quotes: ${field}: ${value}`;
  }
  if (expected === 'array' && (typeof value === 'string' || typeof value === 'number')) {
    return `make it a list: ${field}: [${String(value)}]`;
  }
  if (value === null) return exampleFix(field, schema, `give "${field}" a value, or remove the line`);
  return exampleFix(field, schema, `use ${article(expected)}`);
}

function exampleFix(field: string, schema: JsonSchema | undefined, fallback: string): string {
  const example = exampleOf(schema);
  if (example === undefined || /^\d+$/.test(field)) return fallback;
  // Render as YAML so the fix can be pasted into the file as is.
  const yaml = stringify({ [field]: example }).trimEnd();
  return yaml.includes('\n') ? `e.g.\n      ${yaml.replaceAll('\n', '\n      ')}` : `e.g. ${yaml}`;
}

function exampleOf(schema: JsonSchema | undefined): unknown {
  if (!schema) return undefined;
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0];
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  if ('default' in schema) return schema.default;
  return undefined;
}

function describeField(schema: JsonSchema | undefined): string {
  return typeof schema?.description === 'string' ? ` (${schema.description.replace(/\.$/, '')})` : '';
}

function resolve(schema: JsonSchema | undefined, root: JsonSchema): JsonSchema | undefined {
  let current = schema;
  // Follow local `$ref`s only; our schemas have no remote ones. Sibling keywords (description) win over the target's.
  for (let i = 0; i < 10 && typeof current?.$ref === 'string' && current.$ref.startsWith('#/'); i++) {
    const target = parsePointer(current.$ref.slice(1)).reduce<unknown>((node, seg) => asSchema(node)?.[seg], root);
    const { $ref: _ref, ...siblings } = current;
    current = { ...(asSchema(target) ?? {}), ...siblings };
  }
  return current;
}

function asSchema(value: unknown): JsonSchema | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonSchema) : undefined;
}

function valueAt(root: unknown, pointer: string): unknown {
  return parsePointer(pointer).reduce<unknown>(
    (node, seg) => (typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[seg] : undefined),
    root,
  );
}

function lastSegment(pointer: string): string {
  return parsePointer(pointer).at(-1) ?? '';
}

function describeValue(value: unknown): string {
  if (value === null) return 'nothing (null)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `a ${typeof value} ${show(value)}`;
}

function article(type: string): string {
  const words: Record<string, string> = {
    object: 'a mapping (key: value lines)',
    array: 'a list ("- item" lines)',
    string: 'a string',
    integer: 'an integer',
    number: 'a number',
    boolean: 'true or false',
    null: 'null',
  };
  return words[type] ?? type;
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'object' && value !== null) return '';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}..."` : text;
}
