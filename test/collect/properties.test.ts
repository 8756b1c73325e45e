// Properties of the loader: it fails only with InputError, and how objects are packaged (one List, separate
// documents, a JSON array) never changes what is loaded.
import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, test } from 'vitest';
import { parseInputFile } from '../../harness/collect/files/parseInputFile.ts';
import { StateBuilder } from '../../harness/collect/stateBuilder.ts';
import { InputError } from '../../harness/errors.ts';
import type { ClusterState } from '../../harness/model/state.ts';

/** The loader pipeline without the filesystem: parse each (name, text) and build one state. */
function load(files: [string, string][]): ClusterState {
  const builder = new StateBuilder({ type: 'files', inputs: [], collectedAt: 'now' });
  for (const [file, text] of files) {
    const parsed = parseInputFile(file, text);
    builder.problems.push(...parsed.problems);
    for (const object of parsed.objects) builder.addParsed(object);
  }
  return builder.finish();
}

const yamlish = fc.oneof(
  fc.string(),
  fc.anything().map((v) => String(stringify(v) ?? '')),
  fc.anything().map((v) => String(JSON.stringify(v) ?? '')),
  fc.json(),
  fc
    .array(
      fc.constantFrom(
        'apiVersion: v1',
        'kind: Pod',
        'kind: List',
        'items:',
        '- ',
        'metadata:',
        '  name: x',
        '---',
        '{',
        '[',
        ': ',
        '\t',
        '"',
        '0644',
        'yes',
        '&a',
        '*a',
        '<<: *a',
        '!!binary',
        '%YAML 1.1',
      ),
    )
    .map((parts) => parts.join('\n')),
);

describe('loader properties', () => {
  test('on any text the loader returns a state or throws InputError, nothing else', () => {
    fc.assert(
      fc.property(yamlish, fc.constantFrom('f.yaml', 'f.json'), (text, name) => {
        try {
          load([[name, text]]);
        } catch (error) {
          if (!(error instanceof InputError)) throw error;
          expect(error.problems.length).toBeGreaterThan(0);
          for (const p of error.problems) expect(p.file).toBe(name);
        }
      }),
      { numRuns: 300 },
    );
  });

  const KINDS = [
    ['v1', 'Pod'],
    ['v1', 'Service'],
    ['v1', 'Namespace'],
    ['networking.k8s.io/v1', 'NetworkPolicy'],
    ['v1', 'Secret'],
    ['example.com/v1', 'Widget'],
    ['argoproj.io/v1alpha1', 'Rollout'],
  ] as const;
  const object = fc
    .record({
      kind: fc.constantFrom(...KINDS),
      name: fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/),
      namespace: fc.constantFrom('a', 'b'),
      labels: fc.dictionary(fc.stringMatching(/^[a-z]{1,5}$/), fc.stringMatching(/^[a-z0-9]{0,5}$/), { maxKeys: 3 }),
    })
    .map(({ kind, name, namespace, labels }) => ({
      apiVersion: kind[0],
      kind: kind[1],
      metadata: { name, ...(kind[1] === 'Namespace' ? {} : { namespace }), labels },
      ...(kind[1] === 'Secret' ? { data: { k: 'c2VjcmV0' } } : { spec: { replicas: 1 } }),
    }));
  const objects = fc.uniqueArray(object, { selector: (o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`, maxLength: 12 });

  test('a List, separate documents and a JSON array of the same objects load to the same state', () => {
    fc.assert(
      fc.property(objects, (items) => {
        const withoutPositions = (s: ClusterState) => ({
          kubernetes: s.kubernetes,
          unknown: s.unknown.map(({ source: _s, ...rest }) => rest),
        });
        // Written as YAML 1.1 (quoting `y`, `on`, `0644`…) the way kubectl writes YAML the API server reads back.
        const yaml11 = (v: unknown) => stringify(v, { version: '1.1' });
        const asList = load([['list.yaml', yaml11({ apiVersion: 'v1', kind: 'List', items, metadata: { resourceVersion: '' } })]]);
        const asDocs = load([['docs.yaml', items.map(yaml11).join('---\n')]]);
        const asJson = load([['array.json', JSON.stringify(items, null, 2)]]);
        expect(withoutPositions(asDocs)).toEqual(withoutPositions(asList));
        expect(withoutPositions(asJson)).toEqual(withoutPositions(asList));
        const typed = Object.keys(asList.origins).length + asList.unknown.length;
        expect(typed).toBe(items.length);
        // Separate documents are numbered; list items share their list's document.
        if (items.length > 0)
          expect(
            Math.max(
              ...Object.values(asDocs.origins).map((o) => o.documentIndex ?? 0),
              ...asDocs.unknown.map((u) => u.source?.documentIndex ?? 0),
            ),
          ).toBe(items.length - 1);
      }),
      { numRuns: 100 },
    );
  });
});
