// YAML as the Kubernetes API server reads it: YAML 1.1 (`0644` → 420, `yes`/`y` → true), as go-yaml v2 implements it.
// Where the `yaml` package's 1.1 schema resolves more than go-yaml does, we follow go-yaml:
//  - timestamps stay strings (a creationTimestamp must be the string kubectl printed, not a Date);
//  - no base-60 numbers (`22:22` stays a string);
//  - floats need a digit: go-yaml's `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$` (after removing `_`), where
//    the package would turn `e0`, `.` or `-e1` into NaN.
import type { DocumentOptions, ParseOptions, SchemaOptions, LineCounter } from 'yaml';

const FLOAT = 'tag:yaml.org,2002:float';
const GO_YAML_FLOAT = /^[-+]?(?:\.(?=[0-9_]*[0-9])[0-9_]+|[0-9][0-9_]*(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?$/;

export function kubernetesYamlOptions(lineCounter?: LineCounter): ParseOptions & DocumentOptions & SchemaOptions {
  return {
    version: '1.1',
    uniqueKeys: true,
    ...(lineCounter ? { lineCounter } : {}),
    customTags: (tags) =>
      tags.flatMap((t): (typeof tags)[number][] => {
        if (typeof t === 'string') return t.endsWith(':timestamp') ? [] : [t];
        const format = 'format' in t ? t.format : undefined;
        if (t.tag.endsWith(':timestamp') || format === 'TIME') return [];
        if (t.tag === FLOAT && 'test' in t && t.test instanceof RegExp && t.test.source.includes('[0-9]')) {
          // The exponent form and the plain form become one go-yaml float (`.inf`/`.nan` are kept as they are).
          return format === 'EXP' ? [] : [Object.assign({}, t, { test: GO_YAML_FLOAT })];
        }
        return [t];
      }),
  };
}
