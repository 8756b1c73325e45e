import { describe, expect, it } from 'vitest';
import { redactReport } from '../../harness/findings/redact.ts';
import { escapeData, escapeProperty, renderAnnotations } from '../../reports/annotations.ts';
import { hostileReport } from './hostile.ts';
import { sampleReport } from './sampleReport.ts';

describe('GitHub Actions annotations', () => {
  const lines = renderAnnotations(redactReport(sampleReport()), { cwd: '/repo' });

  it('emits ::error with file and line for failing findings with a source, without file otherwise', () => {
    const errors = lines.filter((l) => l.startsWith('::error'));
    expect(errors).toHaveLength(5); // 4 fail + 1 error; waived and n/a are not errors
    expect(errors).toContainEqual(
      expect.stringMatching(
        /^::error file=fixtures\/examples\/non-compliant\/k8s\/payments.yaml,line=31,col=1,title=clusterproof default-deny \[config\] failed \(high\)::Namespace payments/,
      ),
    );
    expect(errors).toContainEqual(
      expect.stringMatching(/^::error title=clusterproof etcd-backup \[config\] failed \(medium\)::No CronJob/),
    );
    expect(errors).toContainEqual(expect.stringMatching(/^::error title=clusterproof pod-iam-isolation \[config\] could not be checked/));
  });

  it('warns about expired and unmatched waivers', () => {
    const warnings = lines.filter((l) => l.startsWith('::warning'));
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(
      /^::warning title=clusterproof waiver expired::Waiver for etcd-backup by bob@example.com, OPS-7 expired on 2025-01-31/,
    );
    expect(warnings[1]).toMatch(/^::warning title=clusterproof waiver unmatched::Waiver for teardown-ownership \(sandbox\/\*\)/);
  });

  it('escapes per the workflow-command rules', () => {
    expect(escapeData('50% done\r\nnext')).toBe('50%25 done%0D%0Anext');
    expect(escapeProperty('a:b,c%')).toBe('a%3Ab%2Cc%25');
    expect(escapeData('\u001b[31mred\u001b[0m')).toBe('red');
  });

  it('never lets hostile text start a new command or leak properties', () => {
    const hostile = renderAnnotations(redactReport(hostileReport()), { cwd: '/repo' });
    for (const line of hostile) {
      expect(line).not.toMatch(/[\r\n\u0000\u001b]/);
      expect(line).toMatch(/^::(error|warning)( [a-z]+=[^,:]*(,[a-z]+=[^,:]*)*)?::/);
    }
  });
});
