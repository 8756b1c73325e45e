// The control catalogue, loaded from the YAML shipped with the package and validated against its schema, so a
// broken catalogue edit fails loudly at the first use instead of producing reports with missing references.
import { readFileSync } from 'node:fs';
import { errorMessage, InputError, type InputProblem } from '../errors.ts';
import type { Control } from '../model/findings.ts';
import { packagePath } from '../paths.ts';
import { validateAgainst, type JsonSchema } from '../spec/schemaValidator.ts';
import { joinPointer, parseYamlSource, type YamlSource } from '../spec/yamlSource.ts';

export interface Framework {
  id: string;
  name: string;
  version: string;
  publisher: string;
  published?: string;
  url?: string;
  description?: string;
}

export interface Catalogue {
  controls: Control[];
  frameworks: Framework[];
}

const CONTROLS_FILE = packagePath('harness', 'controls', 'controls.yaml');
const FRAMEWORKS_FILE = packagePath('harness', 'controls', 'frameworks.yaml');
const SCHEMA_FILE = packagePath('harness', 'controls', 'controls.schema.json');

let cached: Catalogue | undefined;

/** Every control in catalogue order. Cached: the files are part of the package and do not change during a run. */
export function loadControls(): Control[] {
  return loadCatalogue().controls;
}

export function loadFrameworks(): Framework[] {
  return loadCatalogue().frameworks;
}

export function controlById(id: string): Control | undefined {
  return loadControls().find((c) => c.id === id);
}

export function frameworkById(id: string): Framework | undefined {
  return loadFrameworks().find((f) => f.id === id);
}

function loadCatalogue(): Catalogue {
  cached ??= readCatalogue({ controls: CONTROLS_FILE, frameworks: FRAMEWORKS_FILE });
  return cached;
}

/** Reads and checks a catalogue from explicit files (tests use this with broken copies). Throws InputError. */
export function readCatalogue(files: { controls: string; frameworks: string }): Catalogue {
  const schema = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as JsonSchema;
  // The frameworks file is checked by the same schema document, entered at a different $def.
  const frameworksSchema: JsonSchema = {
    ...schema,
    $id: 'https://clusterproof.dev/schemas/frameworks-v1.json',
    $ref: '#/$defs/frameworksFile',
  };
  const frameworks = readChecked<{ frameworks: Framework[] }>(files.frameworks, frameworksSchema);
  const controls = readChecked<{ controls: Control[] }>(files.controls, schema);

  const problems: InputProblem[] = [];
  const frameworkIds = new Set(frameworks.value.frameworks.map((f) => f.id));
  const seen = new Map<string, number>();
  controls.value.controls.forEach((control, i) => {
    const first = seen.get(control.id);
    if (first !== undefined) {
      problems.push(
        at(
          controls.source,
          joinPointer('/controls', i, 'id'),
          `duplicate control id "${control.id}" (first at /controls/${first})`,
          'give each control a unique id',
        ),
      );
    } else {
      seen.set(control.id, i);
    }
    control.references.forEach((ref, j) => {
      if (!frameworkIds.has(ref.framework)) {
        problems.push(
          at(
            controls.source,
            joinPointer('/controls', i, 'references', j, 'framework'),
            `unknown framework "${ref.framework}"`,
            `use one of ${[...frameworkIds].join(', ')}, or add it to frameworks.yaml`,
          ),
        );
      }
    });
  });
  if (problems.length > 0) throw new InputError(problems);
  return { controls: controls.value.controls, frameworks: frameworks.value.frameworks };
}

function readChecked<T>(file: string, schema: JsonSchema): { value: T; source: YamlSource } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError(
      [
        {
          file,
          message: `cannot read the control catalogue: ${errorMessage(error)}`,
          fix: 'reinstall clusterproof; the file ships with the package',
        },
      ],
      { cause: error },
    );
  }
  const parsed = parseYamlSource(text, file);
  if (!parsed.source) throw new InputError(parsed.problems);
  const problems = validateAgainst(schema, parsed.source);
  if (problems.length > 0) throw new InputError(problems);
  return { value: parsed.source.value as T, source: parsed.source };
}

function at(source: YamlSource, pointer: string, message: string, fix: string): InputProblem {
  return { file: source.file, ...source.locate(pointer), pointer, message, fix };
}
