// Checks beyond the schema (duplicates, CIDR strictness), and schema + semantic problems reported together in one run.
import { describe, expect, it } from 'vitest';
import { parseSpec } from '../../harness/spec/load.ts';
import { problemsOf, where } from './problems.ts';

const head = 'apiVersion: clusterproof.dev/v1alpha1\nkind: ClusterSpec\nmetadata:\n  name: t\nspec:\n';

describe('semantic checks', () => {
  it('rejects a service account listed twice and a role given to two tenants', async () => {
    const problems = await problemsOf(() =>
      parseSpec(
        head +
          [
            '  iam:',
            '    mode: irsa',
            '    tenants:',
            '      - { namespace: a, serviceAccount: api, role: r1 }',
            '      - { namespace: a, serviceAccount: api, role: r2 }',
            '      - { namespace: b, serviceAccount: api, role: r1 }',
          ].join('\n'),
        's.yaml',
      ),
    );
    expect(where(problems)).toEqual(['10:9 /spec/iam/tenants/1', '11:52 /spec/iam/tenants/2/role']);
    expect(problems[0]?.message).toBe('service account a/api is listed twice (also at /spec/iam/tenants/0)');
    expect(problems[1]?.message).toBe(
      'role "r1" is already given to the tenant at /spec/iam/tenants/0; a role belongs to exactly one tenant',
    );
  });

  it('rejects two waivers for the same control and scope (absent scope = *)', async () => {
    const waiver = (scope: string) => `    - { control: etcd-backup, ${scope}owner: o, reason: r, expires: 2030-01-01 }`;
    const problems = await problemsOf(() =>
      parseSpec(head + ['  waivers:', waiver(''), waiver('scope: "*", '), waiver('scope: a/*, ')].join('\n'), 's.yaml'),
    );
    expect(where(problems)).toEqual(['8:7 /spec/waivers/1']);
    expect(problems[0]?.message).toBe('duplicate waiver for etcd-backup with scope * (also at /spec/waivers/0)');
  });

  it('rejects IPv6 ranges with host bits and accepts IPv4, IPv6 and /0', () => {
    const spec = (cidr: string) => `${head}  cidrs:\n    peers:\n      - { name: p, cidr: "${cidr}" }\n`;
    for (const ok of ['0.0.0.0/0', '::/0', '10.0.0.0/8', 'fd00:1::/48', '192.168.1.7/32'])
      expect(() => parseSpec(spec(ok), 's.yaml'), ok).not.toThrow();
    expect(() => parseSpec(spec('fd00::1/64'), 's.yaml')).toThrow('host bits are set (the network of fd00::1/64 is fd00::/64)');
  });

  it('reports schema and semantic problems of one file together, sorted by position', async () => {
    const problems = await problemsOf(() =>
      parseSpec(
        head +
          [
            '  profile: weekly',
            '  cidrs:',
            '    vpcs: [{ name: v, cidr: 10.0.0.0/8 }, { name: v, cidr: 10.0.0.0/40 }]',
            '  waivers:',
            '    - { control: etcd, owner: o, reason: r, expires: tomorrow }',
          ].join('\n'),
        's.yaml',
      ),
    );
    expect(where(problems)).toEqual([
      '6:12 /spec/profile',
      '8:51 /spec/cidrs/vpcs/1/name',
      '8:60 /spec/cidrs/vpcs/1/cidr',
      '10:18 /spec/waivers/0/control',
      '10:54 /spec/waivers/0/expires',
    ]);
  });
});
