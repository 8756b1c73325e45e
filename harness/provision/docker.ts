// Thin adapter over the docker CLI (the same binary kind drives), so both see the same daemon and DOCKER_HOST.
// Every function returns typed data or throws a RunError that names the missing piece and its fix.
import { execa, type Result } from 'execa';
import { RunError } from '../errors.ts';
import type { ExecResult } from '../model/cluster.ts';

/** Oldest engine that runs `--privileged` node containers on this kernel (see shared/notes/testbed.md). */
export const MIN_DOCKER_MAJOR = 26;
const SETUP_FIX = 'bash scripts/setup-docker.sh';

export type DockerObjectKind = 'container' | 'network' | 'volume';

async function docker(args: string[], opts: { signal?: AbortSignal; input?: string; timeoutMs?: number } = {}): Promise<Result> {
  const result = await execa('docker', args, {
    reject: false,
    ...(opts.signal ? { cancelSignal: opts.signal } : {}),
    ...(opts.input === undefined ? { stdin: 'ignore' as const } : { input: opts.input }),
    timeout: opts.timeoutMs ?? 120_000,
  });
  if (result.code === 'ENOENT') {
    throw new RunError('the docker CLI is not installed (no `docker` on PATH)', { fix: SETUP_FIX });
  }
  return result;
}

function daemonAddress(): string {
  return process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock';
}

/** Fails unless a Docker engine >= 26 answers; returns its version. */
export async function assertDockerUsable(signal?: AbortSignal): Promise<string> {
  const result = await docker(['version', '--format', '{{.Server.Version}}'], { timeoutMs: 20_000, ...(signal ? { signal } : {}) });
  const version = String(result.stdout).trim();
  if (result.exitCode !== 0 || version === '') {
    const why = String(result.stderr).trim().split('\n').at(-1) ?? '';
    const hint = process.env.DOCKER_HOST
      ? ` (DOCKER_HOST=${process.env.DOCKER_HOST} is set: unset it or point it at a running engine)`
      : '';
    throw new RunError(`no Docker daemon answers at ${daemonAddress()}${hint}: ${why}`, { fix: SETUP_FIX });
  }
  const major = Number.parseInt(version, 10);
  if (!(major >= MIN_DOCKER_MAJOR)) {
    throw new RunError(
      `Docker engine ${version} at ${daemonAddress()} is too old: ${MIN_DOCKER_MAJOR}+ is needed for --privileged node containers here`,
      { fix: `stop that engine, then run ${SETUP_FIX} (installs docker.io 26 from Debian trixie)` },
    );
  }
  return version;
}

function checked(result: Result, what: string): string {
  if (result.exitCode !== 0) {
    throw new RunError(`docker ${what} failed (exit ${result.exitCode}): ${String(result.stderr).trim()}`);
  }
  return String(result.stdout);
}

function lines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

/** Ids (containers) or names (networks, volumes) of objects matching every filter, e.g. `label=clusterproof.run`. */
export async function listObjects(kind: DockerObjectKind, filters: string[]): Promise<string[]> {
  const args = kind === 'container' ? ['ps', '-a', '-q'] : [kind, 'ls', '-q'];
  for (const f of filters) args.push('--filter', f);
  return lines(checked(await docker(args), `${kind} ls`));
}

/** Value of one label on each object (used to find which clusters/runs are present). */
export async function labelValues(kind: DockerObjectKind, filter: string, label: string): Promise<string[]> {
  const format = `{{.Label "${label}"}}`;
  const args =
    kind === 'container' ? ['ps', '-a', '--filter', filter, '--format', format] : [kind, 'ls', '--filter', filter, '--format', format];
  return [...new Set(lines(checked(await docker(args), `${kind} ls`)))];
}

/** Removes objects, ignoring ones already gone (removal is idempotent by design). */
export async function removeObjects(kind: DockerObjectKind, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  const args = kind === 'container' ? ['rm', '-f', '-v', ...ids] : [kind, 'rm', ...(kind === 'volume' ? ['-f'] : []), ...ids];
  const result = await docker(args);
  if (result.exitCode !== 0 && !/no such|not found/i.test(String(result.stderr))) checked(result, `${kind} rm`);
}

export async function createNetwork(name: string, labels: Record<string, string>): Promise<void> {
  const args = ['network', 'create', '-d=bridge', '-o', 'com.docker.network.bridge.enable_ip_masquerade=true'];
  for (const [k, v] of Object.entries(labels)) args.push('--label', `${k}=${v}`);
  const result = await docker([...args, name]);
  if (result.exitCode !== 0 && !/already exists/i.test(String(result.stderr))) checked(result, `network create ${name}`);
}

export async function containerExec(
  container: string,
  command: string[],
  opts: { signal?: AbortSignal; input?: string; timeoutMs?: number } = {},
): Promise<ExecResult> {
  const result = await docker(['exec', ...(opts.input === undefined ? [] : ['-i']), container, ...command], opts);
  return { stdout: String(result.stdout), stderr: String(result.stderr), exitCode: result.exitCode ?? -1 };
}

export async function containerStop(container: string): Promise<void> {
  checked(await docker(['stop', '--time', '10', container]), `stop ${container}`);
}

export async function containerStart(container: string): Promise<void> {
  checked(await docker(['start', container]), `start ${container}`);
}

export async function imageExists(ref: string): Promise<boolean> {
  return (await docker(['image', 'inspect', '--format', '{{.Id}}', ref])).exitCode === 0;
}

export interface ContainerFacts {
  name: string;
  running: boolean;
  labels: Record<string, string>;
  ipAddresses: string[];
}

export async function inspectContainers(ids: string[]): Promise<ContainerFacts[]> {
  if (ids.length === 0) return [];
  const text = checked(await docker(['inspect', '--type', 'container', ...ids]), 'inspect');
  const raw = JSON.parse(text) as {
    Name: string;
    State: { Running: boolean };
    Config: { Labels: Record<string, string> | null };
    NetworkSettings: { Networks: Record<string, { IPAddress: string; GlobalIPv6Address: string }> };
  }[];
  return raw.map((c) => ({
    name: c.Name.replace(/^\//, ''),
    running: c.State.Running,
    labels: c.Config.Labels ?? {},
    ipAddresses: Object.values(c.NetworkSettings.Networks)
      .flatMap((n) => [n.IPAddress, n.GlobalIPv6Address])
      .filter((a) => a !== ''),
  }));
}

/** Memory in bytes of each running container matching the filter (for the benchmark's peak-memory sampling). */
export async function containerMemoryBytes(filter: string): Promise<number> {
  const ids = await listObjects('container', [filter, 'status=running']);
  if (ids.length === 0) return 0;
  const text = checked(await docker(['stats', '--no-stream', '--format', '{{.MemUsage}}', ...ids]), 'stats');
  return lines(text).reduce((sum, line) => sum + parseMemory(line.split('/')[0]?.trim() ?? '0B'), 0);
}

const UNITS: Record<string, number> = { B: 1, KB: 1e3, MB: 1e6, GB: 1e9, KIB: 1024, MIB: 1024 ** 2, GIB: 1024 ** 3, TIB: 1024 ** 4 };

export function parseMemory(text: string): number {
  const m = /^([\d.]+)\s*([a-z]+)$/i.exec(text);
  if (!m) return 0;
  return Number(m[1]) * (UNITS[(m[2] ?? 'B').toUpperCase()] ?? 1);
}
