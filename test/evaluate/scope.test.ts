import { describe, expect, it } from 'vitest';
import { describeScope, inScope, resolveScope } from '../../harness/evaluate/scope.ts';

describe('namespace scope', () => {
  it('matches *, globs and literal names, minus excludes', () => {
    const scope = { namespaces: ['*'], exclude: ['kube-*', 'istio-system'] };
    expect(['shop', 'kube-system', 'kube-public', 'istio-system', 'team-a'].filter((n) => inScope(n, scope))).toEqual(['shop', 'team-a']);
    expect(inScope('team-a', { namespaces: ['team-*'] })).toBe(true);
    expect(inScope('team.a', { namespaces: ['team?a'] })).toBe(false);
  });

  it('reports literal names that were not collected', () => {
    expect(resolveScope(['shop', 'pay'], { namespaces: ['shop', 'billing', 'x-*'] })).toEqual({ inScope: ['shop'], missing: ['billing'] });
  });

  it('describes itself for messages', () => {
    expect(describeScope({ namespaces: ['*'], exclude: ['kube-system'] })).toBe('all namespaces except kube-system');
  });
});
