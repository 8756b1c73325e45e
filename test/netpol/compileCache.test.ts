// compilePolicies shares equal selectors and peers between policies (all-pairs tells peers apart by object),
// and keeps apart what only looks equal in JSON: a selector value that is not a string (loose YAML) is
// compiled on its own, and answers as itself.
import { describe, expect, test } from 'vitest';
import { compilePolicies, type CompiledPeer } from '../../harness/netpol/compile.ts';
import { Model } from '../../harness/model/reachabilityModel.ts';
import { netpol, observe, podLabel } from './observe.ts';

const fromB = { ingress: [{ from: [{ podSelector: podLabel('b') }] }] };

function firstPeer(peers: CompiledPeer[] | undefined): CompiledPeer {
  const peer = peers?.[0];
  if (!peer) throw new Error('no peer');
  return peer;
}

describe('compile cache', () => {
  test('equal selectors and peers in two policies of a namespace are one object each', () => {
    const state = new Model(['x/a', 'x/b']).state([netpol('x', 'one', podLabel('a'), fromB), netpol('x', 'two', podLabel('a'), fromB)]);
    const [one, two] = compilePolicies(state);
    expect(one!.podSelector).toBe(two!.podSelector);
    expect(firstPeer(one!.ingress?.[0]?.peers)).toBe(firstPeer(two!.ingress?.[0]?.peers));
  });

  test('the same podSelector peer in two namespaces stays two peers (each means its own namespace)', () => {
    const state = new Model(['x/a', 'x/b', 'y/a', 'y/b']).state([
      netpol('x', 'p', podLabel('a'), fromB),
      netpol('y', 'p', podLabel('a'), fromB),
    ]);
    const [x, y] = compilePolicies(state);
    expect(firstPeer(x!.ingress?.[0]?.peers)).not.toBe(firstPeer(y!.ingress?.[0]?.peers));
    const matrix = observe(state, 80, 'TCP'); // all-pairs agrees with pair-by-pair evaluation
    const at = (from: string, to: string) => matrix.allowed[matrix.pods.indexOf(from)]![matrix.pods.indexOf(to)];
    expect(at('x/b', 'x/a')).toBe(true);
    expect(at('y/b', 'x/a')).toBe(false);
  });

  test('a non-string selector value is not folded into its JSON twin', () => {
    // `pod: .nan` and `pod: ~` in YAML: both print as null in JSON, yet they are the labels "NaN" and "null".
    const nan = { matchLabels: { pod: Number.NaN as unknown as string } };
    const nul = { matchLabels: { pod: null as unknown as string } };
    const state = new Model(['x/a', 'x/b']).state([netpol('x', 'nan', nan, fromB), netpol('x', 'null', nul, fromB)]);
    const [a, b] = compilePolicies(state);
    expect(a!.podSelector).not.toBe(b!.podSelector);
    expect(a!.podSelector.key).toBe('pod=NaN');
    expect(b!.podSelector.key).toBe('pod=null');
  });
});
