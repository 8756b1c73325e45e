// Property tests for the CIDR analysis: relations are consistent with each other and with a brute-force
// enumeration of addresses on small prefixes.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { FAMILY_BITS, formatCidr, parseCidr, rangeToCidrs, type Cidr, type IpFamily } from '../../harness/cidr/ipRange.ts';
import { intersection, relate } from '../../harness/evaluate/cidrNonOverlapping/relation.ts';

const MIRROR = { equal: 'equal', contains: 'within', within: 'contains', overlap: 'overlap', disjoint: 'disjoint' } as const;

function cidrArb(family: IpFamily, minPrefix = 0): fc.Arbitrary<Cidr> {
  const bits = FAMILY_BITS[family];
  return fc
    .tuple(fc.bigInt({ min: 0n, max: (1n << BigInt(bits)) - 1n }), fc.integer({ min: minPrefix, max: bits }))
    .map(([value, prefix]) => {
      const mask = (1n << BigInt(bits - prefix)) - 1n;
      const parsed = parseCidr(formatCidr(family, value & ~mask, prefix));
      if (!parsed.ok) throw new Error(parsed.reason);
      return parsed.cidr;
    });
}
const anyCidr = fc.oneof(cidrArb('ipv4'), cidrArb('ipv6'));
// Small IPv4 blocks inside 10.0.0.0/24 so that brute force is cheap and collisions are frequent.
const smallCidr = fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 24, max: 32 })).map(([host, prefix]) => {
  const size = 2 ** (32 - prefix);
  const parsed = parseCidr(`10.0.0.${host - (host % size)}/${prefix}`);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.cidr;
});

function addresses(c: Cidr): Set<bigint> {
  const out = new Set<bigint>();
  for (let a = c.start; a <= c.end; a++) out.add(a);
  return out;
}

describe('CIDR relation properties', () => {
  test('relate(a, b) mirrors relate(b, a); equal only for the same block', () => {
    fc.assert(
      fc.property(anyCidr, anyCidr, (a, b) => {
        expect(relate(b, a)).toBe(MIRROR[relate(a, b)]);
        expect(relate(a, b) === 'equal').toBe(a.text === b.text);
      }),
    );
  });

  test('overlap iff the shared span is non-empty; two CIDRs never partially overlap', () => {
    fc.assert(
      fc.property(anyCidr, anyCidr, (a, b) => {
        const relation = relate(a, b);
        expect(relation !== 'disjoint').toBe(intersection(a, b) !== undefined);
        expect(relation).not.toBe('overlap');
      }),
    );
  });

  test('different families never overlap', () => {
    fc.assert(
      fc.property(cidrArb('ipv4'), cidrArb('ipv6'), (a, b) => {
        expect(relate(a, b)).toBe('disjoint');
      }),
    );
  });

  test('parse(format(x)) round-trips', () => {
    fc.assert(
      fc.property(anyCidr, (c) => {
        const again = parseCidr(c.text);
        expect(again.ok && again.cidr).toEqual(c);
      }),
    );
  });

  test('agrees with brute-force address sets on small prefixes', () => {
    fc.assert(
      fc.property(smallCidr, smallCidr, (a, b) => {
        const A = addresses(a);
        const B = addresses(b);
        const shared = [...A].filter((x) => B.has(x));
        const expected =
          shared.length === 0
            ? 'disjoint'
            : A.size === B.size && shared.length === A.size
              ? 'equal'
              : shared.length === B.size
                ? 'contains'
                : shared.length === A.size
                  ? 'within'
                  : 'overlap';
        expect(relate(a, b)).toBe(expected);
        const span = intersection(a, b);
        if (span) {
          const covered = rangeToCidrs(span).flatMap((text) => {
            const p = parseCidr(text);
            return p.ok ? [...addresses(p.cidr)] : [];
          });
          expect(covered.sort((x, y) => (x < y ? -1 : 1))).toEqual(shared.sort((x, y) => (x < y ? -1 : 1)));
        }
      }),
      { numRuns: 300 },
    );
  });

  test('rangeToCidrs covers an arbitrary range exactly with aligned blocks', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 1000 }), (x, y) => {
        const [start, end] = x <= y ? [BigInt(x), BigInt(y)] : [BigInt(y), BigInt(x)];
        const blocks = rangeToCidrs({ family: 'ipv4', start, end }).map((t) => {
          const p = parseCidr(t);
          if (!p.ok) throw new Error(t);
          return p.cidr;
        });
        expect(blocks[0]?.start).toBe(start);
        expect(blocks.at(-1)?.end).toBe(end);
        for (let i = 1; i < blocks.length; i++) expect(blocks[i]?.start).toBe((blocks[i - 1]?.end ?? 0n) + 1n);
      }),
    );
  });
});
