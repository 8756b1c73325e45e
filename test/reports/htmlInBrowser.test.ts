// The HTML report of a real scan as a person opens it: real headless Chromium (Debian's package, installed by
// scripts/setup-tools.sh) at a laptop viewport. What needs action must be on the first screen, the page must load
// nothing from the network, and the long reachability grids must start folded.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { clusterproof } from '../run/cliRunner.ts';

const CHROMIUM = '/usr/bin/chromium';
// Without the background-networking flags Chromium phones home on its own, which this test would count.
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const HAVE_CHROMIUM = existsSync(CHROMIUM);
const TITLE = `HTML report of the non-compliant example in headless Chromium${HAVE_CHROMIUM ? '' : ` (skipped: ${CHROMIUM} missing; run scripts/setup-tools.sh)`}`;

describe.skipIf(!HAVE_CHROMIUM)(TITLE, { timeout: 120_000 }, () => {
  test('first failing control above the fold at 1280x800, no network request, reachability collapsed', async () => {
    const out = mkdtempSync(join(tmpdir(), 'cp-html-'));
    const scan = await clusterproof(['scan', 'fixtures/examples/non-compliant', '--format', 'html', '--out', out]);
    expect(scan.exitCode, scan.stderr).toBe(1);
    const pageUrl = pathToFileURL(join(out, 'report.html')).href;

    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      const requests: string[] = [];
      page.on('request', (r) => requests.push(r.url()));
      await page.goto(pageUrl, { waitUntil: 'load' });
      if (process.env['CLUSTERPROOF_SCREENSHOT']) await page.screenshot({ path: process.env['CLUSTERPROOF_SCREENSHOT'] });

      expect(requests).toEqual([pageUrl]);

      // Page-side code as strings: the project compiles without the DOM lib.
      const first = (await page.evaluate(`(() => {
        const h = document.querySelector('section.control.fail h3');
        return h ? { text: h.textContent, top: h.getBoundingClientRect().top } : undefined;
      })()`)) as { text: string; top: number } | undefined;
      expect(first?.text).toMatch(/^api-endpoint-private /);
      expect(first?.top).toBeGreaterThan(0);
      expect(first?.top).toBeLessThan(800);

      const reach = (await page.evaluate(`({
        namespaces: document.querySelectorAll('#reachability details.reach-ns').length,
        open: document.querySelectorAll('#reachability details[open]').length,
        gridsShown: [...document.querySelectorAll('#reachability table.matrix')].filter((t) => t.checkVisibility()).length,
      })`)) as { namespaces: number; open: number; gridsShown: number };
      expect(reach.namespaces).toBeGreaterThan(1);
      expect(reach).toMatchObject({ open: 0, gridsShown: 0 });

      // The inline filter narrows the namespaces (the script runs under the page's CSP).
      await page.fill('#reach-filter', 'payments');
      const visible = await page.evaluate(`[...document.querySelectorAll('details.reach-ns')].filter((d) => !d.hidden).map((d) => d.id)`);
      expect(visible).toEqual(['reach-payments']);
      expect(requests).toEqual([pageUrl]);
    } finally {
      await browser.close();
    }
  });
});
