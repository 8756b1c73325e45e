// `clusterproof reachability` beyond the pairwise json: ports taken from the destinations' declarations, --from/--to
// filters, NDJSON, and the classes form, which must expand to exactly the pairwise listing.
import { execa } from 'execa';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { loadStateFromPaths } from '../../harness/collect/files/loadFiles.ts';
import { parsePodFilter } from '../../harness/cli/podFilter.ts';
import { queryReachability, queryVerdicts, type QueryOptions } from '../../harness/netpol/reachabilityQuery.ts';
import { verdictClasses } from '../../harness/netpol/verdictClasses.ts';
import { reachabilityMatricesFor } from '../../harness/netpol/reportMatrices.ts';
import { redactReport } from '../../harness/findings/redact.ts';
import { renderHtml } from '../../reports/html.ts';
import { sampleReport } from '../reports/sampleReport.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const cli = (...args: string[]) => execa(process.execPath, ['bin/clusterproof.js', 'reachability', ...args], { cwd: root, reject: false });

interface Verdict {
  from: string;
  to: string;
  port: number;
  protocol: string;
  allowed: boolean;
  reason: string;
}
/** `id` as a whole word (not the start of a policy name such as x/allow-… for x/a) replaced by `cls`. */
const asClass = (text: string, id: string, cls: string) =>
  text.replace(new RegExp(`(?<![\\w/\\[\\]-])${id.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}(?![\\w/\\[\\]-])`, 'g'), cls);
const cell = (v: Verdict) => `${v.from} -> ${v.to} ${v.port}/${v.protocol} ${v.allowed ? 'allowed' : 'blocked'}`;

// fixtures/netpol/shop/shop.yaml: shop default-denies ingress; web (ports http 8080/TCP, dns 53/UDP) takes http from
// every namespace and dns from ops only; api (9090/TCP) takes the front tier (web) only; debug and tool declare no ports.
describe('reachability without --ports: each destination on its declared ports', () => {
  test('4 sources × (web: 8080/TCP and 53/UDP, api: 9090/TCP) = 12 verdicts; destinations without ports named on stderr', async () => {
    const run = await cli('fixtures/netpol/shop');
    expect(run.exitCode, run.stderr).toBe(0);
    const { results } = JSON.parse(run.stdout) as { results: Verdict[] };
    expect(results.map(cell).sort()).toEqual([
      'ops/tool -> shop/api[Deployment] 9090/TCP blocked',
      'ops/tool -> shop/web[Deployment] 53/UDP allowed',
      'ops/tool -> shop/web[Deployment] 8080/TCP allowed',
      'shop/api[Deployment] -> shop/api[Deployment] 9090/TCP blocked',
      'shop/api[Deployment] -> shop/web[Deployment] 53/UDP blocked',
      'shop/api[Deployment] -> shop/web[Deployment] 8080/TCP allowed',
      'shop/debug -> shop/api[Deployment] 9090/TCP blocked',
      'shop/debug -> shop/web[Deployment] 53/UDP blocked',
      'shop/debug -> shop/web[Deployment] 8080/TCP allowed',
      'shop/web[Deployment] -> shop/api[Deployment] 9090/TCP allowed',
      'shop/web[Deployment] -> shop/web[Deployment] 53/UDP blocked',
      'shop/web[Deployment] -> shop/web[Deployment] 8080/TCP allowed',
    ]);
    expect(results.find((r) => r.from === 'ops/tool' && r.port === 53)?.reason).toContain(
      'ingress allowed by shop/web-ingress ingress rule 1',
    );
    expect(run.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/2 destination\(s\) declare no container ports.*ops\/tool, shop\/debug/),
    ]);
  });

  test('with --ports every destination is asked on the given ports, as before', async () => {
    const run = await cli('fixtures/netpol/shop', '--ports', '8080');
    expect(run.exitCode, run.stderr).toBe(0);
    expect((JSON.parse(run.stdout) as { results: Verdict[] }).results).toHaveLength(4 * 4);
    expect(run.stderr).toBe('');
  });
});

describe('--from / --to', () => {
  const cells = async (...args: string[]) => {
    const run = await cli('fixtures/netpol/shop', ...args);
    expect(run.exitCode, run.stderr).toBe(0);
    return (JSON.parse(run.stdout) as { results: Verdict[] }).results.map(cell).sort();
  };

  test('a namespace, a workload by ns/name or ns/name[Kind], and label selectors', async () => {
    expect(await cells('--from', 'ops', '--to', 'app=web')).toEqual([
      'ops/tool -> shop/web[Deployment] 53/UDP allowed',
      'ops/tool -> shop/web[Deployment] 8080/TCP allowed',
    ]);
    expect(await cells('--from', 'shop/web', '--to', 'tier in (back)')).toEqual([
      'shop/web[Deployment] -> shop/api[Deployment] 9090/TCP allowed',
    ]);
    expect(await cells('--from', 'shop/debug', '--to', 'shop/api[Deployment]')).toEqual([
      'shop/debug -> shop/api[Deployment] 9090/TCP blocked',
    ]);
    // != and notin also match workloads without the key (Kubernetes semantics): debug and tool.
    expect(await cells('--from', 'tier!=front,app notin (api)', '--to', 'app=api')).toEqual([
      'ops/tool -> shop/api[Deployment] 9090/TCP blocked',
      'shop/debug -> shop/api[Deployment] 9090/TCP blocked',
    ]);
  });

  test('bad or empty filters: exit 2, one line naming the flag', async () => {
    const bad = await cli('fixtures/netpol/shop', '--from', 'app in (web');
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('--from');
    expect(bad.stdout).toBe('');
    const none = await cli('fixtures/netpol/shop', '--to', 'nowhere');
    expect(none.exitCode).toBe(2);
    expect(none.stderr).toMatch(/--to.*"nowhere" matches no workload/);
  });
});

describe('ndjson and classes', () => {
  test('ndjson: one parseable verdict per line, the same verdicts as json', async () => {
    const [nd, json] = await Promise.all([
      cli('fixtures/netpol/xy', '--ports', '80,81', '--format', 'ndjson'),
      cli('fixtures/netpol/xy', '--ports', '80,81'),
    ]);
    expect(nd.exitCode, nd.stderr).toBe(0);
    const lines = nd.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Verdict);
    expect(lines).toEqual((JSON.parse(json.stdout) as { results: Verdict[] }).results);
    expect(lines).toHaveLength(4 * 4 * 2);
  });

  // Property: for every query, expanding each class rule over its members' pairs gives exactly the pairwise listing,
  // reasons included once class ids are read as the pair's workloads.
  const queries: [string, QueryOptions][] = [
    [
      'xy, 80 and 81',
      {
        ports: [
          { port: 80, protocol: 'TCP' },
          { port: 81, protocol: 'TCP' },
        ],
      },
    ],
    ['shop, declared ports', {}],
    ['shop, from shop to app=web', { from: parsePodFilter('--from', 'shop'), to: parsePodFilter('--to', 'app=web') }],
    [
      'shop, 53/UDP and 9090, to ops',
      {
        ports: [
          { port: 53, protocol: 'UDP' },
          { port: 9090, protocol: 'TCP' },
        ],
        to: parsePodFilter('--to', 'ops'),
      },
    ],
  ];
  test.each(queries)('classes expand to the pairwise form: %s', async (name, options) => {
    const state = await loadStateFromPaths([join(root, 'fixtures/netpol', name.split(',')[0] as string)]);
    const q = queryReachability(state, options);
    const pairwise = [...queryVerdicts(q)];
    const { classes, rules } = verdictClasses(q);
    const members = new Map(classes.map((c) => [c.id, c.members]));
    const expanded: Verdict[] = [];
    for (const r of rules()) {
      for (const from of members.get(r.from) ?? []) {
        for (const to of members.get(r.to) ?? []) expanded.push({ ...r, from, to });
      }
    }
    expect(expanded.map(cell).sort()).toEqual(pairwise.map(cell).sort());
    expect(new Set(classes.flatMap((c) => c.members)).size).toBe(classes.reduce((n, c) => n + c.members.length, 0));
    // Reasons: the pairwise reason with the pair's ids written as their classes is the rule's reason.
    const classOf = new Map(classes.flatMap((c) => c.members.map((m) => [m, c.id] as const)));
    const ruleReason = new Map([...rules()].map((r) => [`${r.from} ${r.to} ${r.port}/${r.protocol}`, r.reason]));
    for (const v of pairwise) {
      const key = `${classOf.get(v.from)} ${classOf.get(v.to)} ${v.port}/${v.protocol}`;
      expect(asClass(asClass(v.reason, v.from, classOf.get(v.from) as string), v.to, classOf.get(v.to) as string)).toBe(
        ruleReason.get(key),
      );
    }
  });

  test('above 250,000 verdicts the default is classes (said on stderr) and --format json is refused', async () => {
    // 501 unlabelled pods in one namespace, no policy: 501² = 251,001 verdicts on one port, one class.
    const dir = mkdtempSync(join(tmpdir(), 'cp-reach-'));
    const pods = Array.from(
      { length: 501 },
      (_, i) => `apiVersion: v1\nkind: Pod\nmetadata: { name: p${i}, namespace: big }\nspec: { containers: [{ name: c, image: x }] }\n`,
    );
    writeFileSync(join(dir, 'pods.yaml'), pods.join('---\n'));
    const run = await cli(dir, '--ports', '80');
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/251,001 verdicts, more than 250,000: printing --format classes/);
    const out = JSON.parse(run.stdout) as { classes: { members: string[] }[]; rules: Verdict[] };
    expect(out.classes).toHaveLength(1);
    expect(out.classes[0]?.members).toHaveLength(501);
    expect(out.rules).toEqual([expect.objectContaining({ from: 'c1', to: 'c1', port: 80, allowed: true })]);
    const refused = await cli(dir, '--ports', '80', '--format', 'json');
    expect(refused.exitCode).toBe(2);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toMatch(/--format.*251,001 verdicts/);
  });
});

describe('report matrices name workloads', () => {
  test('pod templates appear as ns/name[Kind] in the matrices scan puts in the HTML report', async () => {
    const state = await loadStateFromPaths([join(root, 'fixtures/netpol/shop')]);
    const [first] = reachabilityMatricesFor(state, ['shop']);
    expect(first?.pods).toEqual(['shop/api[Deployment]', 'shop/debug', 'shop/web[Deployment]']);
    const html = renderHtml(redactReport({ ...sampleReport(), reachability: reachabilityMatricesFor(state, ['shop']) }));
    expect(html).toContain('<th class="from">shop/web[Deployment]</th>');
  });
});
