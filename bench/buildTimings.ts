// Cold build times as scripts/images.sh recorded them on this machine (logs/images-timings.tsv: one line per step
// per build). A warm build records a few seconds per step, so the longest figure of a step is its cold build.
// Reported beside the cluster figures: what a fresh machine pays once, against what every `up` pays.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cacheDir } from '../harness/provision/state.ts';

export interface BuildTiming {
  step: string;
  coldSeconds: number;
  measuredAt: string;
}

export async function coldBuildTimings(file = join(cacheDir(), 'logs', 'images-timings.tsv')): Promise<BuildTiming[]> {
  const text = await readFile(file, 'utf8').catch(() => '');
  const longest = new Map<string, BuildTiming>();
  for (const line of text.split('\n')) {
    const [measuredAt, step, seconds] = line.split('\t');
    const s = Number(seconds);
    if (!measuredAt || !step || !Number.isFinite(s)) continue;
    // images.sh names the Istio step `go: istio <version>` (older logs: `build_istio`): one row per component.
    const key = step.replace(/^build_istio$/, 'go: istio').replace(/ (\(.*\)|v?[0-9]\S*)$/, ''); // `go: aws emulation (v1.13.0, v0.6.17)` too
    if (s > (longest.get(key)?.coldSeconds ?? -1)) longest.set(key, { step: key, coldSeconds: s, measuredAt });
  }
  return [...longest.values()]
    .filter((t) => t.step.startsWith('go: ') && t.coldSeconds >= 30)
    .sort((a, b) => b.coldSeconds - a.coldSeconds);
}

export function formatBuildTimings(timings: BuildTiming[]): string {
  if (timings.length === 0) return 'cold Go builds: none recorded yet (scripts/images.sh build writes logs/images-timings.tsv)\n';
  const total = timings.reduce((n, t) => n + t.coldSeconds, 0);
  return (
    [
      `cold Go builds as last measured here (longest per step in images-timings.tsv; ${(total / 60).toFixed(1)} min together)`,
      ...timings.map(
        (t) =>
          `    ${t.step.padEnd(34)} ${(t.coldSeconds / 60).toFixed(1).padStart(5)} min  (${t.measuredAt}, ratio to the total ${(t.coldSeconds / total).toFixed(2)})`,
      ),
    ].join('\n') + '\n'
  );
}
