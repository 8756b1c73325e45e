// Property tests for the spec loader (fast-check): every valid spec survives a YAML round trip unchanged (modulo
// documented defaults), and no mutation of a spec — textual or structural — crashes the loader: it either loads or
// throws an InputError whose every problem names a position.
import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { loadControls } from '../../harness/controls/load.ts';
import { InputError } from '../../harness/errors.ts';
import type { ClusterSpec, NamedCidr } from '../../harness/model/spec.ts';
import { withDefaults } from '../../harness/spec/defaults.ts';
import { parseSpec } from '../../harness/spec/load.ts';

const dns = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,10}[a-z0-9])?$/);
const text = fc.string({ minLength: 1, maxLength: 30 }).filter((s) => s.trim().length > 0);

const cidr: fc.Arbitrary<string> = fc.oneof(
  fc
    .tuple(fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 4, maxLength: 4 }), fc.integer({ min: 0, max: 32 }))
    .map(([octets, prefix]) => {
      const network = ipaddr.IPv4.networkAddressFromCIDR(`${octets.join('.')}/${prefix}`);
      return `${network.toString()}/${prefix}`;
    }),
  fc
    .tuple(fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 }), fc.integer({ min: 0, max: 128 }))
    .map(([parts, prefix]) => {
      const network = ipaddr.IPv6.networkAddressFromCIDR(`${parts.map((p) => p.toString(16)).join(':')}/${prefix}`);
      return `${network.toString()}/${prefix}`;
    }),
);

const day = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const controlIds = loadControls().map((c) => c.id);

/** Range lists whose names are unique across all lists, as the loader requires. */
const cidrs = fc
  .uniqueArray(fc.record({ list: fc.constantFrom('vpcs', 'subnets', 'pods', 'services', 'nodes', 'peers'), name: dns, cidr }), {
    selector: (r) => r.name,
    maxLength: 6,
  })
  .map((ranges) => {
    const out: Record<string, NamedCidr[]> = {};
    for (const { list, name, cidr: c } of ranges) (out[list] ??= []).push({ name, cidr: c });
    return out;
  });

const namespaces = fc.array(fc.oneof(fc.constant('*'), dns), { minLength: 1, maxLength: 3 });

const body = fc.record(
  {
    profile: fc.constantFrom('pr-gate', 'nightly', 'preprod', 'gameday'),
    apiEndpoint: fc.record(
      { exposure: fc.constantFrom('private', 'public'), allowedPublicCidrs: fc.array(cidr, { maxLength: 2 }) },
      { requiredKeys: ['exposure'] },
    ),
    cidrs,
    networkPolicy: fc.record({
      defaultDeny: fc.record(
        { namespaces, ingress: fc.boolean(), egress: fc.boolean(), exclude: fc.array(dns, { maxLength: 2 }) },
        { requiredKeys: ['namespaces'] },
      ),
    }),
    mtls: fc.record({ mode: fc.constantFrom('STRICT', 'PERMISSIVE', 'DISABLE'), scope: fc.record({ namespaces }) }),
    iam: fc.record(
      {
        mode: fc.constantFrom('irsa', 'pod-identity', 'kube2iam'),
        tenants: fc
          .uniqueArray(fc.record({ namespace: dns, serviceAccount: dns, role: dns }), {
            selector: (t) => `${t.namespace}/${t.serviceAccount}`,
            maxLength: 3,
          })
          .filter((ts) => new Set(ts.map((t) => t.role)).size === ts.length),
        imds: fc.record({ requireV2: fc.boolean(), maxHopLimit: fc.integer({ min: 1, max: 64 }) }, { requiredKeys: [] }),
      },
      { requiredKeys: ['mode', 'tenants'] },
    ),
    ha: fc.record(
      {
        controlPlanes: fc.integer({ min: 1, max: 9 }),
        zones: fc.integer({ min: 1, max: 5 }),
        disruptionBudgetSeconds: fc.integer({ min: 1, max: 600 }),
      },
      { requiredKeys: ['controlPlanes', 'zones'] },
    ),
    etcdBackup: fc.record(
      { required: fc.boolean(), maxIntervalHours: fc.integer({ min: 1, max: 168 }), offCluster: fc.boolean(), encrypted: fc.boolean() },
      { requiredKeys: ['required'] },
    ),
    teardown: fc.record({ ownershipLabel: dns, ownershipTag: dns }, { requiredKeys: [] }),
    canary: fc.record({ namespaces, requireAnalysis: fc.boolean() }, { requiredKeys: ['namespaces'] }),
    waivers: fc.uniqueArray(
      fc.record(
        {
          control: fc.constantFrom(...controlIds),
          scope: fc.oneof(
            fc.constant('*'),
            dns.map((n) => `${n}/*`),
            fc.tuple(dns, dns).map(([n, m]) => `${n}/${m}`),
          ),
          owner: text,
          reason: text,
          ticket: text,
          expires: day,
        },
        { requiredKeys: ['control', 'owner', 'reason', 'expires'] },
      ),
      { selector: (w) => `${w.control} ${w.scope ?? '*'}`, maxLength: 3 },
    ),
  },
  { requiredKeys: [] },
);

const validSpec: fc.Arbitrary<ClusterSpec> = fc
  .record({ name: dns, body })
  .map(
    ({ name, body: b }) => ({ apiVersion: 'clusterproof.dev/v1alpha1', kind: 'ClusterSpec', metadata: { name }, spec: b }) as ClusterSpec,
  );

function loadsOrInputError(source: string): void {
  try {
    parseSpec(source, 'mutated.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    const problems = (error as InputError).problems;
    expect(problems.length).toBeGreaterThan(0);
    for (const p of problems) {
      expect(p.file).toBe('mutated.yaml');
      expect(p.line).toBeGreaterThanOrEqual(1);
      expect(p.column).toBeGreaterThanOrEqual(1);
      expect(p.message.length).toBeGreaterThan(0);
    }
  }
}

describe('spec loader properties', () => {
  it('any valid spec round-trips through YAML unchanged (plus documented defaults)', () => {
    fc.assert(
      fc.property(validSpec, (spec) => {
        expect(parseSpec(stringify(spec), 'generated.yaml')).toEqual(withDefaults(spec));
      }),
      { numRuns: 100 },
    );
  });

  it('textual mutations never crash the loader', () => {
    const mutation = fc.record({
      at: fc.nat(),
      cut: fc.nat({ max: 12 }),
      insert: fc.string({
        maxLength: 8,
        unit: fc.constantFrom(':', '-', ' ', '\n', '\t', '[', '{', '"', "'", '*', '&', '!', '#', 'a', '1', '/', '.'),
      }),
    });
    fc.assert(
      fc.property(validSpec, fc.array(mutation, { minLength: 1, maxLength: 3 }), (spec, mutations) => {
        let source = stringify(spec);
        for (const m of mutations) {
          const at = m.at % (source.length + 1);
          source = source.slice(0, at) + m.insert + source.slice(at + m.cut);
        }
        loadsOrInputError(source);
      }),
      { numRuns: 120 },
    );
  });

  it('structural mutations (any value at any path) never crash the loader', () => {
    const anyValue = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constant(null), fc.string(), fc.integer());
    fc.assert(
      fc.property(validSpec, fc.array(fc.nat(), { minLength: 1, maxLength: 5 }), anyValue, (spec, path, value) => {
        const copy = structuredClone(spec) as unknown as Record<string, unknown>;
        let node: Record<string, unknown> = copy;
        for (const [i, step] of path.entries()) {
          const keys = Object.keys(node);
          if (keys.length === 0) break;
          const key = keys[step % keys.length] as string;
          const next = node[key];
          if (i === path.length - 1 || typeof next !== 'object' || next === null) {
            node[key] = value;
            break;
          }
          node = next as Record<string, unknown>;
        }
        loadsOrInputError(stringify(copy));
      }),
      { numRuns: 120 },
    );
  });
});
