// YAML as the Kubernetes API server reads it: YAML 1.1 (`0644` → 420, `yes` → true), as go-yaml v2 implements it.
// go-yaml dropped 1.1's timestamps-as-dates and base-60 numbers (`1:20` stays a string), so we drop those tags too:
// a creationTimestamp must stay the string kubectl printed, and `22:22` must not become 1342.
import type { DocumentOptions, ParseOptions, SchemaOptions, LineCounter } from 'yaml';

const GO_YAML_UNSUPPORTED = /^tag:yaml\.org,2002:(timestamp)$/;

export function kubernetesYamlOptions(lineCounter?: LineCounter): ParseOptions & DocumentOptions & SchemaOptions {
  return {
    version: '1.1',
    uniqueKeys: true,
    ...(lineCounter ? { lineCounter } : {}),
    customTags: (tags) =>
      tags.filter((t) => {
        if (typeof t === 'string') return !GO_YAML_UNSUPPORTED.test(t);
        return !GO_YAML_UNSUPPORTED.test(t.tag) && !('format' in t && t.format === 'TIME');
      }),
  };
}

/** JSON files are JSON: plain YAML 1.2 core rules, which agree with JSON.parse on every valid JSON text. */
export function jsonOptions(lineCounter?: LineCounter): ParseOptions & DocumentOptions & SchemaOptions {
  return { version: '1.2', uniqueKeys: true, ...(lineCounter ? { lineCounter } : {}) };
}
