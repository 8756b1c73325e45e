// The shipped schema is what editors show: every property needs a description, and its sections must stay in step
// with the ClusterSpec type (spec.ts) and the catalogue's specSection values.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadControls } from '../../harness/controls/load.ts';
import { requestedControls } from '../../harness/spec/requested.ts';
import { parseSpec, specSchema } from '../../harness/spec/load.ts';

type Schema = { [key: string]: unknown };

function undocumented(schema: unknown, path: string, out: string[], root: Schema): string[] {
  if (typeof schema !== 'object' || schema === null) return out;
  const node = schema as Schema;
  const properties = node.properties as Record<string, Schema> | undefined;
  for (const [name, child] of Object.entries(properties ?? {})) {
    // A bare $ref is documented by its target's description, which is what editors show.
    const target = typeof child.$ref === 'string' ? (root.$defs as Record<string, Schema>)[child.$ref.replace('#/$defs/', '')] : undefined;
    if (typeof child.description !== 'string' && typeof target?.description !== 'string') out.push(`${path}/properties/${name}`);
  }
  for (const [key, value] of Object.entries(node)) {
    if (typeof value === 'object' && value !== null) undocumented(value, `${path}/${key}`, out, root);
  }
  return out;
}

describe('clusterspec.schema.json', () => {
  const schema = specSchema();

  it('is draft 2020-12 with the published $id', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.$id).toBe('https://clusterproof.dev/schemas/clusterspec-v1alpha1.json');
  });

  it('describes every property (editors show the descriptions)', () => {
    expect(undocumented(schema, '#', [], schema)).toEqual([]);
  });

  it('has exactly the body sections of ClusterSpecBody in harness/model/spec.ts', () => {
    const source = readFileSync('harness/model/spec.ts', 'utf8');
    const bodyType = /export interface ClusterSpecBody \{([^}]*)\}/.exec(source)?.[1] ?? '';
    const typeKeys = [...bodyType.matchAll(/^\s*(\w+)\??:/gm)].map((m) => m[1]).sort();
    const body = (schema.$defs as Record<string, Schema>).body as Schema;
    expect(Object.keys(body.properties as Schema).sort()).toEqual(typeKeys);
  });

  it('every catalogue specSection is a body section, and the full fixture requests every control', () => {
    const body = (schema.$defs as Record<string, Schema>).body as Schema;
    for (const control of loadControls()) expect(Object.keys(body.properties as Schema)).toContain(control.specSection);
    const full = parseSpec(readFileSync('fixtures/specs/valid-full.yaml', 'utf8'), 'valid-full.yaml');
    expect(requestedControls(full, loadControls()).map((c) => c.id)).toEqual(loadControls().map((c) => c.id));
  });
});
