// The SARIF of a real scan, as code scanning receives it: the whole file against the official SARIF 2.1.0 schema,
// and every failing finding of the JSON report present, located at its object's line where the input has one.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as Sarif from 'sarif';
import { describe, expect, test } from 'vitest';
import type { RunReport } from '../../harness/model/report.ts';
import { clusterproof } from '../run/cliRunner.ts';
import { validateSarifJson } from './validators.ts';

describe('SARIF of the non-compliant example', { timeout: 120_000 }, () => {
  test('is valid SARIF 2.1.0 and carries every failing finding of the JSON report', async () => {
    const out = mkdtempSync(join(tmpdir(), 'cp-sarif-'));
    const scan = await clusterproof(['scan', 'fixtures/examples/non-compliant', '--format', 'json,sarif', '--out', out]);
    expect(scan.exitCode, scan.stderr).toBe(1);
    const log = JSON.parse(readFileSync(join(out, 'report.sarif'), 'utf8')) as Sarif.Log;
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as RunReport;

    expect(validateSarifJson(log), JSON.stringify(validateSarifJson.errors?.slice(0, 3))).toBe(true);

    const results = log.runs[0]?.results ?? [];
    const key = (controlId: string, layer: unknown, subject: unknown, message: string) =>
      JSON.stringify([controlId, layer, subject, message]);
    const inSarif = results.map((r) =>
      key(r.ruleId ?? '', r.properties?.['layer'], r.properties?.['subject'], r.message.text?.split('\n')[0] ?? ''),
    );
    const failing = report.findings.filter((f) => (f.waived?.originalResult ?? f.result) === 'fail');
    expect(failing.length).toBeGreaterThan(50);
    expect(inSarif.sort()).toEqual(failing.map((f) => key(f.controlId, f.layer, f.subject, f.message)).sort());

    // A namespace with no policy at all is located at its own Namespace object in the dump.
    const frontend = results.find(
      (r) => r.ruleId === 'netpol-default-deny' && r.message.text?.startsWith('Namespace frontend is not default-deny'),
    );
    expect(frontend?.locations?.[0]?.physicalLocation).toEqual({
      artifactLocation: { uri: 'fixtures/examples/non-compliant/kubernetes/cluster-dump.yaml', uriBaseId: '%SRCROOT%' },
      region: { startLine: 142, startColumn: 3 },
    });
    // Relative URIs resolve against the working directory of the run.
    expect(log.runs[0]?.originalUriBaseIds?.['%SRCROOT%']?.uri).toMatch(/^file:\/\/\/.*\/$/);
    expect(results.every((r) => !r.locations?.[0]?.physicalLocation?.artifactLocation?.uri?.startsWith('file:'))).toBe(true);
  });
});
