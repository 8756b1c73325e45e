// Writes the requested reports into the output directory. Each file is written to a temporary name and renamed
// into place, so a reader (or a CI step uploading artefacts) never sees a half-written report; if any render or
// write fails, the files this call already wrote are removed, so no partial set of reports claims success.
import { statSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { RunReport } from '../harness/model/report.ts';
import { InputError } from '../harness/errors.ts';
import { redactReport, type RedactedReport } from '../harness/findings/redact.ts';
import { renderHtml } from './html.ts';
import { renderJson } from './json.ts';
import { renderJunit } from './junit.ts';
import { renderMarkdown } from './markdown.ts';
import { renderSarif } from './sarif.ts';

export type ReportFormat = 'junit' | 'json' | 'html' | 'md' | 'sarif';
export const REPORT_FORMATS: readonly ReportFormat[] = ['junit', 'json', 'html', 'md', 'sarif'];

export const REPORT_FILES: Record<ReportFormat, string> = {
  junit: 'junit.xml',
  json: 'report.json',
  html: 'report.html',
  md: 'summary.md',
  sarif: 'report.sarif',
};

const RENDERERS: Record<ReportFormat, (report: RedactedReport, cwd: string) => string> = {
  junit: (r) => renderJunit(r),
  json: (r) => renderJson(r),
  html: (r) => renderHtml(r),
  md: (r) => renderMarkdown(r),
  sarif: (r, cwd) => renderSarif(r, { cwd }),
};

/** Parses `--format junit,json,…`; unknown names are an error naming the accepted ones. */
export function parseFormats(value: string): ReportFormat[] {
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !(REPORT_FORMATS as readonly string[]).includes(n));
  const fix = `use a comma-separated subset of ${REPORT_FORMATS.join(',')}, e.g. --format junit,html`;
  if (unknown.length > 0) throw new InputError([{ file: '--format', message: `unknown report format(s) ${unknown.join(', ')}`, fix }]);
  if (names.length === 0) throw new InputError([{ file: '--format', message: 'no report format given', fix }]);
  return [...new Set(names as ReportFormat[])];
}

interface WriteOptions {
  /** Directory SARIF locations are relative to. Default: process.cwd(). */
  cwd?: string;
}

/** `--out` must name a directory (or nothing yet): checked before any work, so a bad path costs no evaluation. */
export function checkOutDir(outDir: string): void {
  let isFile = false;
  try {
    isFile = !statSync(outDir).isDirectory();
  } catch {
    return; // missing: writeReports creates it
  }
  if (isFile) {
    throw new InputError([
      {
        file: outDir,
        pointer: '--out',
        message: 'is a file, not a directory',
        fix: 'pass a directory for --out (created if missing), e.g. --out clusterproof-report',
      },
    ]);
  }
}

/**
 * Each run leaves one coherent report set: earlier reports of ours in `outDir` (known names only, never other
 * files kept there) are removed before the run works, so neither a run with fewer formats nor one that fails
 * leaves an older html/junit/sarif/md beside it.
 */
export async function prepareOutDir(outDir: string): Promise<void> {
  checkOutDir(outDir);
  await removeEarlierReports(outDir);
}

async function removeEarlierReports(outDir: string, keep: readonly string[] = []): Promise<void> {
  const stale = Object.values(REPORT_FILES).filter((name) => !keep.includes(name));
  await Promise.all(stale.map((name) => rm(join(outDir, name), { force: true })));
}

/**
 * Redacts the report, renders every requested format (all in memory first, so a render error writes nothing),
 * then writes each atomically. Returns the written paths in the order of `formats`. The manifest lists this
 * run's report files; earlier reports of other formats are removed.
 */
export async function writeReports(
  report: RunReport,
  outDir: string,
  formats: readonly ReportFormat[],
  options: WriteOptions = {},
): Promise<string[]> {
  checkOutDir(outDir);
  const files = [...new Set(formats)].map((format) => REPORT_FILES[format]);
  const redacted = redactReport({ ...report, manifest: { ...report.manifest, reports: files } });
  const cwd = options.cwd ?? process.cwd();
  const rendered = [...new Set(formats)].map((format) => ({
    path: join(outDir, REPORT_FILES[format]),
    text: RENDERERS[format](redacted, cwd),
  }));
  try {
    await mkdir(outDir, { recursive: true });
    await removeEarlierReports(outDir, files);
  } catch (cause) {
    throw new Error(`cannot prepare report directory ${outDir}: check the --out path and its permissions`, { cause });
  }
  const written: string[] = [];
  try {
    for (const { path, text } of rendered) {
      await writeAtomically(path, text);
      written.push(path);
    }
  } catch (cause) {
    await Promise.all(written.map((p) => rm(p, { force: true })));
    throw new Error(`writing reports into ${outDir} failed; no report was left behind`, { cause });
  }
  return written;
}

/** Writes `text` to a sibling temp file and renames it over `path` (atomic on one filesystem). */
async function writeAtomically(path: string, text: string): Promise<void> {
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temp, text, { encoding: 'utf8', flag: 'wx' });
    await rename(temp, path);
  } catch (cause) {
    await rm(temp, { force: true });
    throw new Error(`cannot write ${path}`, { cause });
  }
}
