// The spec loader on the shipped fixtures: valid specs load with defaults; each invalid one reports every problem
// at its exact file:line:column with a fix.
import { describe, expect, it } from 'vitest';
import { loadSpec, parseSpec } from '../../harness/spec/load.ts';
import { problemsOf, where } from './problems.ts';

const fixture = (name: string) => `fixtures/specs/${name}`;

describe('valid specs', () => {
  it('loads the minimal spec and applies the documented defaults', async () => {
    const { spec, sha256, file } = await loadSpec(fixture('valid-minimal.yaml'));
    expect(spec.metadata.name).toBe('minimal');
    expect(spec.spec.profile).toBe('pr-gate');
    expect(spec.spec.apiEndpoint).toEqual({ exposure: 'private' });
    expect(sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(file).toBe(fixture('valid-minimal.yaml'));
  });

  it('loads the full spec with every section', async () => {
    const { spec } = await loadSpec(fixture('valid-full.yaml'));
    expect(Object.keys(spec.spec).sort()).toEqual([
      'apiEndpoint',
      'canary',
      'cidrs',
      'etcdBackup',
      'ha',
      'iam',
      'mtls',
      'networkPolicy',
      'profile',
      'provider',
      'teardown',
      'waivers',
    ]);
    expect(spec.spec.waivers?.[0]).toMatchObject({ control: 'mtls-strict', scope: 'legacy/*', expires: '2099-12-31' });
    expect(spec.spec.cidrs?.peers?.[1]?.cidr).toBe('fd00:1::/48');
  });
});

describe('invalid specs', () => {
  it('reports YAML syntax errors (duplicate key, unclosed flow list) with positions', async () => {
    const problems = await problemsOf(() => loadSpec(fixture('invalid-yaml-syntax.yaml')));
    expect(where(problems)).toEqual(['5:3', '9:1']);
    expect(problems[0]?.message).toContain('DUPLICATE_KEY');
    expect(problems[0]?.fix).toContain('repeated keys');
    expect(problems[1]?.message).toContain('YAML syntax');
  });

  it('reports wrong types, enum values and bounds all at once, in file order', async () => {
    const problems = await problemsOf(() => loadSpec(fixture('invalid-types.yaml')));
    expect(where(problems)).toEqual([
      '8:20 /spec/ha/controlPlanes',
      '9:12 /spec/ha/zones',
      '12:19 /spec/networkPolicy/defaultDeny/namespaces',
      '13:15 /spec/networkPolicy/defaultDeny/egress',
      '15:11 /spec/mtls/mode',
    ]);
    expect(problems.map((p) => p.message)).toEqual([
      'expected an integer; got a string "3"',
      'must be >= 1; got 0',
      'expected a list ("- item" lines); got a string "payments"',
      'expected true or false; got a string "yes"',
      'expected one of STRICT, PERMISSIVE, DISABLE; got "strict"',
    ]);
    expect(problems.map((p) => p.fix)).toEqual([
      'remove the quotes: controlPlanes: 3',
      'e.g. zones: 3',
      'make it a list: namespaces: [payments]',
      'write egress: true or egress: false (YAML 1.2 reads "yes" as a string)',
      'e.g. mode: STRICT',
    ]);
  });

  it('names unknown fields at their key, with a did-you-mean', async () => {
    const problems = await problemsOf(() => loadSpec(fixture('invalid-unknown-fields.yaml')));
    expect(where(problems)).toEqual(['8:5 /spec/apiEndpoint/exposur', '9:3 /spec/etcdBackups', '14:5 /spec/iam/imdsv2']);
    expect(problems.map((p) => p.message)).toEqual([
      'unknown field "exposur" (did you mean "exposure"?)',
      'unknown field "etcdBackups" (did you mean "etcdBackup"?)',
      'unknown field "imdsv2" (did you mean "imds"?)',
    ]);
  });

  it('rejects invalid CIDRs and duplicate range names', async () => {
    const problems = await problemsOf(() => loadSpec(fixture('invalid-cidrs.yaml')));
    expect(where(problems)).toEqual([
      '9:15 /spec/cidrs/vpcs/0/cidr',
      '12:15 /spec/cidrs/pods/0/cidr',
      '14:15 /spec/cidrs/peers/0/name',
      '15:15 /spec/cidrs/peers/0/cidr',
      '18:26 /spec/apiEndpoint/allowedPublicCidrs/0',
    ]);
    expect(problems[0]?.message).toBe('invalid CIDR "10.0.0.0/33": prefix /33 is longer than /32');
    expect(problems[1]?.fix).toBe('use 10.244.0.0/16');
    expect(problems[2]?.message).toBe('duplicate range name "vpc" (also at /spec/cidrs/vpcs/0/name)');
    expect(problems[3]?.message).toContain('"192.168.1" is not a valid IPv4');
  });

  it('rejects unknown control ids, impossible dates, missing owners and malformed scopes in waivers', async () => {
    const problems = await problemsOf(() => loadSpec(fixture('invalid-waivers.yaml')));
    expect(where(problems)).toEqual([
      '7:16 /spec/waivers/0/control',
      '11:16 /spec/waivers/1/control',
      '14:16 /spec/waivers/1/expires',
      '15:7 /spec/waivers/2/owner',
      '16:14 /spec/waivers/2/scope',
    ]);
    expect(problems[0]?.message).toMatch(
      /^unknown control id "mtls-strikt" \(did you mean "mtls-strict"\?\); known ids: api-endpoint-private, /,
    );
    expect(problems[0]?.fix).toBe('control: mtls-strict');
    expect(problems[1]?.message).toContain('known ids:');
    expect(problems[2]?.message).toBe('"2026-02-30" is not a real calendar date in the form YYYY-MM-DD');
    expect(problems[3]?.message).toMatch(/^missing required field "owner"/);
    expect(problems[3]?.fix).toBe('e.g. owner: team-payments');
  });

  it('rejects an empty file, several documents, a top-level list and an unreadable path', async () => {
    expect((await problemsOf(() => loadSpec(fixture('invalid-empty.yaml'))))[0]?.message).toContain('the file is empty');
    expect(where(await problemsOf(() => parseSpec('a: 1\n---\nb: 2\n', 'two.yaml')))).toEqual(['2:1']);
    expect((await problemsOf(() => parseSpec('- a\n', 'list.yaml')))[0]?.message).toBe('expected a mapping (key: value lines); got a list');
    const missing = await problemsOf(() => loadSpec('fixtures/specs/does-not-exist.yaml'));
    expect(missing[0]).toMatchObject({ file: 'fixtures/specs/does-not-exist.yaml', message: 'cannot read the spec: no such file' });
    expect((await problemsOf(() => loadSpec('fixtures/specs')))[0]?.message).toBe('cannot read the spec: is a directory, not a file');
  });

  it('turns resource exhaustion (deep nesting, alias bombs) into bad input, not a crash or a hang', async () => {
    const deep = await problemsOf(() => parseSpec(`a: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`, 'deep.yaml'));
    expect(deep[0]?.message).toContain('RESOURCE_EXHAUSTION');
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x]',
      ...Array.from(
        { length: 11 },
        (_, i) =>
          `l${i + 1}: &l${i + 1} [${Array(9)
            .fill(`*${i === 0 ? 'a' : `l${i}`}`)
            .join(', ')}]`,
      ),
    ].join('\n');
    const problems = await problemsOf(() => parseSpec(bomb, 'bomb.yaml'));
    expect(problems[0]?.message).toContain('resource exhaustion');
  });

  it('reports missing required top-level fields at the document start, with example values', async () => {
    const problems = await problemsOf(() => parseSpec('kind: ClusterSpec\n', 'x.yaml'));
    expect(problems.map((p) => `${where([p])[0]} ${p.message.split(' (')[0]} | ${p.fix}`)).toEqual([
      '1:1 /apiVersion missing required field "apiVersion" | e.g. apiVersion: clusterproof.dev/v1alpha1',
      '1:1 /metadata missing required field "metadata" | add "metadata:" under the top level',
      '1:1 /spec missing required field "spec" | add "spec:" under the top level',
    ]);
  });
});
