import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { redactReport } from '../../harness/findings/redact.ts';
import { REDACTION_MARKER } from '../../harness/redaction/marker.ts';
import { redactDeep } from '../../harness/redaction/redactDeep.ts';
import { redactText } from '../../harness/redaction/redactText.ts';
import { renderAnnotations } from '../../reports/annotations.ts';
import { REPORT_FORMATS, writeReports } from '../../reports/write.ts';
import { sampleReport } from './sampleReport.ts';
import { PLANTED_SECRETS, reportWithSecrets } from './secrets.ts';

describe('redaction', () => {
  it('keeps planted secrets out of every report format', async () => {
    const planted = reportWithSecrets();
    // The fixture really carries the secrets before redaction, otherwise this test would prove nothing.
    const raw = JSON.stringify(planted);
    for (const secret of Object.values(PLANTED_SECRETS)) expect(raw).toContain(secret);

    const out = mkdtempSync(join(tmpdir(), 'cp-redact-'));
    const paths = await writeReports(planted, out, REPORT_FORMATS, { cwd: '/work' });
    const rendered = [
      ...paths.map((p) => ({ name: p, text: readFileSync(p, 'utf8') })),
      { name: 'annotations', text: renderAnnotations(redactReport(planted)).join('\n') },
    ];
    expect(rendered).toHaveLength(REPORT_FORMATS.length + 1);
    for (const { name, text } of rendered) {
      for (const [kind, secret] of Object.entries(PLANTED_SECRETS)) {
        expect(text.includes(secret), `${kind} leaked into ${name}`).toBe(false);
      }
      expect(text, name).toMatch(REDACTION_MARKER);
    }
  });

  it('keeps the shape of Secret data and kubeconfig users so evidence still says which keys exist', () => {
    const out = redactDeep({
      kind: 'Secret',
      data: { 'tls.key': 'AAAA', 'tls.crt': 'BBBB' },
      user: { 'client-key-data': 'x', token: 'y', tokenFile: '/path' },
    });
    expect(out).toEqual({
      kind: 'Secret',
      data: { 'tls.key': '[redacted: secret data]', 'tls.crt': '[redacted: secret data]' },
      user: { 'client-key-data': '[redacted: credential]', token: '[redacted: credential]', tokenFile: '/path' },
    });
  });

  it('keeps references to secrets (names) while blanking secret values', () => {
    const out = redactDeep({ volumes: [{ name: 'db', secret: { secretName: 'db-creds' } }], config: { secret: 'plain-value' } });
    expect(out).toEqual({ volumes: [{ name: 'db', secret: { secretName: 'db-creds' } }], config: { secret: '[redacted: credential]' } });
  });

  it('redacts credentials inside text but leaves ordinary prose, hashes and ids alone', () => {
    const REDACTED = '[redacted: credential]';
    expect(redactText('Authorization: Bearer abc.def-ghi_jkl')).toBe('Authorization: Bearer [redacted: bearer token]');
    expect(redactText('password: hunter2, user: bob')).toBe(`password: ${REDACTED}, user: bob`);
    expect(redactText('"aws_session_token": "FwoG/x+y="')).toBe(`"aws_session_token": "${REDACTED}"`);
    expect(redactText('password: "two words", next')).toBe(`password: "${REDACTED}", next`);
    expect(redactText("token='a b'")).toBe(`token='${REDACTED}'`);
    expect(redactText('{\\"password\\":\\"p w\\",\\"user\\":\\"bob\\"}')).toBe(`{\\"password\\":\\"${REDACTED}\\",\\"user\\":\\"bob\\"}`);
    expect(redactText('client-key-data: LS0tLS1CRUdJTg==')).toBe(`client-key-data: ${REDACTED}`);
    expect(redactText('https://bob:pw@git.example.com/x')).toBe('https://bob:[redacted: url password]@git.example.com/x');
    expect(redactText('-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY----- tail')).toBe(
      '[redacted: private key] tail',
    );
    const prose =
      'Basic auth is off; sha256 ' +
      'a'.repeat(64) +
      ' image nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef NetworkPolicy payments/deny AssumeRoleWithWebIdentity';
    expect(redactText(prose)).toBe(prose);
  });

  it('does not modify its input and copies shared objects without treating them as cycles', () => {
    const report = sampleReport();
    const before = JSON.stringify(report);
    const shared = { kind: 'Pod', name: 'p' };
    report.findings[0]?.evidence.push({ type: 'object', ref: shared }, { type: 'object', ref: shared });
    const redacted = redactReport(report);
    expect(JSON.stringify(report.manifest)).toBe(JSON.stringify(JSON.parse(before).manifest));
    expect(redacted.findings[0]?.evidence.at(-1)).toEqual({ type: 'object', ref: shared });
  });

  it('returns an already redacted report as is, so writeReports after scan does not copy it again', () => {
    const once = redactReport(reportWithSecrets());
    expect(redactReport(once)).toBe(once);
  });

  it('cuts cycles instead of looping', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic['self'] = cyclic;
    expect(redactDeep(cyclic)).toEqual({ a: 1, self: '[Circular]' });
  });
});
