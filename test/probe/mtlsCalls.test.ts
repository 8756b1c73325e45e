// How the mtls-strict live layer reads meshprobe's attempts (harness/probe/mtls/meshCalls.ts). The attempt lines
// are the shapes images/meshprobe prints (its Go tests prove each outcome against real listeners and real TLS
// handshakes; test/live/mtlsProbe.test.ts against istiod-enforced servers); here only the judgement is under test.
import { describe, expect, it } from 'vitest';
import { judgePort, parseCalls, seenFor, PLAINTEXT_MODES, type MeshCall, type TwinPort } from '../../harness/probe/mtls/meshCalls.ts';

const attempt = (mode: string, outcome: MeshCall['outcome'], identity?: string): MeshCall => ({
  mode,
  target: '10.0.0.7:9090',
  ok: outcome === 'answered',
  outcome,
  ms: 1,
  ...(identity ? { identity } : {}),
});
const refusedEverywhere = ['plaintext', 'h2-preface', 'http1', 'tls-nocert', 'tls-foreign'].map((m) => attempt(m, 'closed'));
const strict: TwinPort = { mode: 'STRICT', plaintextAccepted: false, source: 'PeerAuthentication shop/default (namespace)' };
const permissive: TwinPort = { mode: 'PERMISSIVE', plaintextAccepted: true, source: 'mesh default' };

describe('seenFor: the greeting decides, never the handshake', () => {
  it('any greeting is acceptance; peers that end every attempt refuse; silence or no listener is unknown', () => {
    expect(seenFor([attempt('plaintext', 'closed'), attempt('http1', 'answered')], PLAINTEXT_MODES).seen).toBe('accepted');
    expect(seenFor([attempt('plaintext', 'closed'), attempt('http1', 'silent')], PLAINTEXT_MODES).seen).toBe('refused');
    expect(seenFor([attempt('plaintext', 'silent'), attempt('http1', 'silent')], PLAINTEXT_MODES).seen).toBe('unknown');
    expect(seenFor([attempt('plaintext', 'closed'), attempt('http1', 'no-listener')], PLAINTEXT_MODES).seen).toBe('unknown');
    expect(seenFor([], PLAINTEXT_MODES).seen).toBe('unknown');
  });

  it('parses one JSON line per attempt and ignores log lines', () => {
    const out = `meshprobe: starting\n${JSON.stringify(attempt('h2-preface', 'closed'))}\n${JSON.stringify(attempt('http1', 'answered'))}\n`;
    expect(parseCalls(out).map((c) => [c.mode, c.outcome])).toEqual([
      ['h2-preface', 'closed'],
      ['http1', 'answered'],
    ]);
  });
});

describe('judgePort: observation against the static twin and the spec', () => {
  it('STRICT predicted and every attempt refused: pass', () => {
    expect(judgePort('pod shop/api port 9090', strict, refusedEverywhere, 'STRICT').result).toBe('pass');
  });

  it('STRICT predicted but plaintext greeted: fail with both sides', () => {
    const v = judgePort('pod shop/api port 9090', strict, [attempt('plaintext', 'answered', 'plaintext')], 'STRICT');
    expect(v.result).toBe('fail');
    expect(v.why).toContain('plaintext accepted');
    expect(v.why).toContain('static twin resolves STRICT');
    expect(v.evidence[0]).toMatchObject({ type: 'comparison', expected: 'refused', actual: 'accepted' });
  });

  it('PERMISSIVE predicted and plaintext greeted: agreement, still a fail under spec STRICT, a pass under spec PERMISSIVE', () => {
    const calls = [attempt('plaintext', 'answered', 'plaintext'), attempt('tls-nocert', 'closed')];
    expect(judgePort('p', permissive, calls, 'STRICT')).toMatchObject({ result: 'fail' });
    expect(judgePort('p', permissive, calls, 'PERMISSIVE')).toMatchObject({ result: 'pass' });
  });

  it('PERMISSIVE predicted but plaintext refused: the twin is wrong about this cluster, fail whatever the spec', () => {
    expect(judgePort('p', permissive, refusedEverywhere, 'PERMISSIVE').result).toBe('fail');
  });

  it('plaintext refused but TLS without a mesh certificate greeted: one-way TLS is not mTLS (fail under STRICT)', () => {
    const calls = [...refusedEverywhere.slice(0, 3), attempt('tls-nocert', 'answered')];
    const v = judgePort('p', strict, calls, 'STRICT');
    expect(v.result).toBe('fail');
    expect(v.why).toContain('TLS without a mesh certificate accepted');
  });

  it('a silent port is not judged, never a pass', () => {
    const calls = PLAINTEXT_MODES.map((m) => attempt(m, 'silent'));
    expect(judgePort('p', strict, calls, 'STRICT').result).toBe('unknown');
  });
});
