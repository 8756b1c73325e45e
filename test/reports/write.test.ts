import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkOutDir, parseFormats, REPORT_FORMATS, writeReports, type ReportFormat } from '../../reports/write.ts';
import { sampleReport } from './sampleReport.ts';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'cp-write-'));
}

describe('writeReports', () => {
  it('writes every requested format and returns the paths, leaving no temp files', async () => {
    const out = join(tempDir(), 'nested', 'out');
    const paths = await writeReports(sampleReport(), out, REPORT_FORMATS);
    expect(paths).toEqual(['junit.xml', 'report.json', 'report.html', 'summary.md', 'report.sarif'].map((f) => join(out, f)));
    expect(readdirSync(out).sort()).toEqual(['junit.xml', 'report.html', 'report.json', 'report.sarif', 'summary.md']);
    expect(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'))).toHaveProperty('reportVersion', 1);
  });

  it('writes only the requested formats', async () => {
    const out = tempDir();
    await writeReports(sampleReport(), out, ['md', 'junit']);
    expect(readdirSync(out).sort()).toEqual(['junit.xml', 'summary.md']);
  });

  it('removes what it wrote when a later write fails, so no partial set of reports claims success', async () => {
    const out = tempDir();
    // A directory where report.html should go makes the final rename fail after junit.xml and report.json were written.
    mkdirSync(join(out, 'report.html'));
    await expect(writeReports(sampleReport(), out, ['junit', 'json', 'html'])).rejects.toThrow(/no report was left behind/);
    expect(readdirSync(out)).toEqual(['report.html']);
    expect(existsSync(join(out, 'junit.xml'))).toBe(false);
  });

  it('renders everything before writing anything, so a render error writes nothing', async () => {
    const out = tempDir();
    await expect(writeReports(sampleReport(), out, ['junit', 'bogus' as ReportFormat])).rejects.toThrow();
    expect(readdirSync(out)).toEqual([]);
  });

  it("a rerun with fewer formats leaves only its own reports, keeps the user's other files, and its manifest lists them", async () => {
    const out = tempDir();
    await writeReports(sampleReport(), out, REPORT_FORMATS);
    writeFileSync(join(out, 'notes.md'), 'mine');
    await writeReports(sampleReport(), out, ['json']);
    expect(readdirSync(out).sort()).toEqual(['notes.md', 'report.json']);
    expect(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')).manifest.reports).toEqual(['report.json']);
  });

  it('refuses an output path that is a file, naming the path and the fix', async () => {
    const file = join(tempDir(), 'taken');
    writeFileSync(file, 'x');
    expect(() => checkOutDir(file)).toThrow(`${file} at --out: is a file, not a directory\n    fix: pass a directory for --out`);
    await expect(writeReports(sampleReport(), file, ['json'])).rejects.toThrow(/is a file, not a directory/);
    expect(readFileSync(file, 'utf8')).toBe('x');
  });

  it('parses --format lists and names the accepted formats on a typo', () => {
    expect(parseFormats('junit, json,junit')).toEqual(['junit', 'json']);
    expect(() => parseFormats('junit,pdf')).toThrow(
      /--format: unknown report format\(s\) pdf\n    fix: use a comma-separated subset of junit,json,html,md,sarif/,
    );
    expect(() => parseFormats('')).toThrow(/no report format/);
  });
});
