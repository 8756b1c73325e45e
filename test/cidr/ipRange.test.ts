import { describe, expect, test } from 'vitest';
import { parseAddress, parseCidr, parseCidrMasked, rangeToCidrs, describeRange, type Cidr } from '../../harness/cidr/ipRange.ts';
import { formatDottedQuad, parseDottedQuad } from '../../harness/cidr/ipv4.ts';
import { relate, intersection } from '../../harness/evaluate/cidrNonOverlapping/relation.ts';
import { findOverlaps } from '../../harness/evaluate/cidrNonOverlapping/overlaps.ts';

function cidr(text: string): Cidr {
  const parsed = parseCidr(text);
  if (!parsed.ok) throw new Error(`${text}: ${parsed.reason}`);
  return parsed.cidr;
}

describe('parseCidr', () => {
  test.each([
    ['10.0.0.0/8', '10.0.0.0/8'],
    ['0.0.0.0/0', '0.0.0.0/0'],
    ['192.168.1.7/32', '192.168.1.7/32'],
    ['FD00::/8', 'fd00::/8'],
    ['2001:db8:0:0::/64', '2001:db8::/64'],
    ['::/0', '::/0'],
    ['::ffff:10.0.0.0/104', '::ffff:a00:0/104'],
  ])('accepts %s as %s', (input, canonical) => {
    expect(cidr(input).text).toBe(canonical);
  });

  test.each([
    ['10.0.0.0/33', /prefix \/33 is longer than \/32/],
    ['::/129', /prefix \/129 is longer than \/128/],
    ['10.0.0.0/8/9', /prefix "8\/9" is not a number/],
    ['10.0.0.300/24', /not a valid/],
    ['10.1/8', /dotted-quad/],
    ['010.0.0.0/8', /dotted-quad/],
    ['0x0a.0.0.0/8', /dotted-quad/],
    ['10.0.0.0', /missing \/PREFIX/],
    ['10.0.0.0/', /not a number/],
    ['fe80::1%eth0/64', /zone/],
    ['pods', /missing/],
  ])('rejects %s', (input, reason) => {
    const parsed = parseCidr(input);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toMatch(reason);
  });

  test('host bits set is an error that suggests the network (as Kubernetes rejects it for podSubnet)', () => {
    const parsed = parseCidr('10.0.0.1/8');
    expect(parsed).toEqual({ ok: false, reason: 'host bits are set (the network of 10.0.0.1/8 is 10.0.0.0/8)', suggestion: '10.0.0.0/8' });
    const v6 = parseCidr('fd00::1/64');
    expect(v6.ok).toBe(false);
    if (!v6.ok) expect(v6.suggestion).toBe('fd00::/64');
  });
});

describe('the NetworkPolicy forms of the same parser', () => {
  test('ipBlock CIDRs mask host bits (as the apiserver does) and reject what the strict parser rejects for syntax', () => {
    expect(parseCidrMasked('10.0.1.5/16')?.text).toBe('10.0.0.0/16');
    expect(parseCidrMasked('fd00::1/64')?.text).toBe('fd00::/64');
    for (const bad of ['10.1/8', '010.0.0.0/8', '10.0.0.0/33', '10.0.0.0', ' 10.0.0.0/8']) expect(parseCidrMasked(bad)).toBeUndefined();
  });

  test('the IPv4 fast path agrees with the address parser', () => {
    for (const text of ['0.0.0.0', '10.0.0.1', '255.255.255.255', '1.2.3.4']) {
      expect(BigInt(parseDottedQuad(text) ?? -1)).toBe(parseAddress(text)?.value);
      expect(formatDottedQuad(parseDottedQuad(text) ?? -1)).toBe(text);
    }
    for (const bad of ['010.0.0.1', '10.1', '256.0.0.1', '1.2.3.4.5', '1..2.3', '']) {
      expect(parseDottedQuad(bad)).toBeUndefined();
      expect(parseAddress(bad)).toBeUndefined();
    }
  });
});

describe('relate and the shared span', () => {
  test.each([
    ['10.0.0.0/8', '10.0.0.0/8', 'equal'],
    ['10.0.0.0/8', '10.244.0.0/16', 'contains'],
    ['10.244.0.0/16', '10.0.0.0/8', 'within'],
    ['10.0.0.0/16', '10.1.0.0/16', 'disjoint'],
    ['10.0.0.255/32', '10.0.1.0/32', 'disjoint'],
    ['fd00::/8', 'fd12:3456::/32', 'contains'],
    ['fd00::/8', 'fe80::/10', 'disjoint'],
    ['0.0.0.0/0', '::/0', 'disjoint'],
    ['10.0.0.0/8', '::ffff:10.0.0.0/104', 'disjoint'],
  ])('%s vs %s: %s', (a, b, relation) => {
    expect(relate(cidr(a), cidr(b))).toBe(relation);
  });

  test('general ranges can partially overlap, and the span is exact', () => {
    const a = { family: 'ipv4' as const, start: 10n, end: 20n };
    const b = { family: 'ipv4' as const, start: 15n, end: 30n };
    expect(relate(a, b)).toBe('overlap');
    expect(intersection(a, b)).toEqual({ family: 'ipv4', start: 15n, end: 20n });
  });

  test('span printed as first–last and as the minimal CIDR list', () => {
    const span = { family: 'ipv4' as const, start: cidr('10.0.0.3/32').start, end: cidr('10.0.0.9/32').start };
    expect(describeRange(span)).toBe('10.0.0.3–10.0.0.9');
    expect(rangeToCidrs(span)).toEqual(['10.0.0.3/32', '10.0.0.4/30', '10.0.0.8/31']);
    expect(rangeToCidrs(cidr('0.0.0.0/0'))).toEqual(['0.0.0.0/0']);
    expect(rangeToCidrs(cidr('::/0'))).toEqual(['::/0']);
    const last = cidr('255.255.255.255/32');
    expect(rangeToCidrs(last)).toEqual(['255.255.255.255/32']);
  });
});

describe('findOverlaps (the cidrs command)', () => {
  test('orders contains so that a contains b, lists only overlapping pairs, never across families', () => {
    const overlaps = findOverlaps([
      { name: 'pods', cidr: cidr('10.244.0.0/16') },
      { name: 'vpc', cidr: cidr('10.0.0.0/8') },
      { name: 'services', cidr: cidr('172.20.0.0/16') },
      { name: 'pods-again', cidr: cidr('10.244.0.0/16') },
      { name: 'v6', cidr: cidr('::ffff:10.0.0.0/104') },
    ]);
    expect(overlaps.map(({ a, b, relation }) => ({ a, b, relation }))).toEqual([
      { a: 'vpc', b: 'pods', relation: 'contains' },
      { a: 'pods', b: 'pods-again', relation: 'equal' },
      { a: 'vpc', b: 'pods-again', relation: 'contains' },
    ]);
    expect(overlaps[0]?.span).toEqual({ first: '10.244.0.0', last: '10.244.255.255', cidrs: ['10.244.0.0/16'] });
  });
});
