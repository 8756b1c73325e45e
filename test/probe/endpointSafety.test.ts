// The API-endpoint probe's traffic rule: classify every resolved address; contact only loopback or the project's own
// containers; a public address is a verdict, not a destination.
import { describe, expect, test } from 'vitest';
import { decideEndpoint, isLoopback } from '../../harness/probe/endpointSafety.ts';

const ours = new Set(['172.18.0.3']);

describe('decideEndpoint', () => {
  test('loopback (kind publishes its load balancer there): handshake allowed', () => {
    expect(decideEndpoint({ host: '127.0.0.1', addresses: ['127.0.0.1'] }, ours).kind).toBe('probe');
    expect(decideEndpoint({ host: 'localhost', addresses: ['::1', '127.0.0.1'] }, ours).kind).toBe('probe');
  });

  test('a private address of one of our containers: handshake allowed', () => {
    expect(decideEndpoint({ host: 'cp-control-plane', addresses: ['172.18.0.3'] }, ours).kind).toBe('probe');
  });

  test('a private address that is not ours: classified, never contacted', () => {
    const d = decideEndpoint({ host: 'api.corp.internal', addresses: ['10.20.0.5'] }, ours);
    expect(d).toMatchObject({ kind: 'classify-only', foreign: ['10.20.0.5'] });
  });

  test('any public address makes the endpoint public, even next to private ones', () => {
    const d = decideEndpoint({ host: 'api.example.com', addresses: ['10.0.0.5', '203.0.113.10'] }, ours);
    expect(d.kind).toBe('public');
  });

  test('IPv4-mapped IPv6 of a container counts as that container', () => {
    expect(decideEndpoint({ host: 'x', addresses: ['::ffff:172.18.0.3'] }, ours).kind).toBe('probe');
  });

  test('no addresses: unresolvable', () => {
    expect(decideEndpoint({ host: 'x', addresses: [] }, ours).kind).toBe('unresolvable');
  });

  test('the instance metadata address is link-local: private, but not ours, so never contacted', () => {
    expect(decideEndpoint({ host: 'imds', addresses: ['169.254.169.254'] }, ours).kind).toBe('classify-only');
  });

  test('isLoopback', () => {
    expect([isLoopback('127.0.0.53'), isLoopback('::1'), isLoopback('10.0.0.1'), isLoopback('name')]).toEqual([true, true, false, false]);
  });
});
