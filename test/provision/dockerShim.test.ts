// The shim is run for real (sh), in front of a stand-in "docker" that prints the arguments it received, one per
// line; the stand-in is named a fake here because it only records what the real CLI would be given.
import { mkdtemp, rm, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { installDockerShim } from '../../harness/provision/kind/dockerShim.ts';

let dir: string;
let shim: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cp-shim-'));
  const fake = join(dir, 'fake-docker');
  await writeFile(fake, '#!/bin/sh\nfor a in "$@"; do printf "%s\\n" "$a"; done\n');
  await chmod(fake, 0o755);
  shim = join(
    await installDockerShim(join(dir, 'bin'), fake, { 'clusterproof.run': '261125-180000-abcd', 'clusterproof.cluster': "it's" }),
    'docker',
  );
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const argsSeen = async (...args: string[]): Promise<string[]> => (await execa(shim, args)).stdout.split('\n');

describe('docker shim used by kind (fake docker records the arguments)', () => {
  test('`docker run` gets our labels and a labelled anonymous /var volume; the rest is untouched and in order', async () => {
    const kindArgs = [
      'run',
      '--name',
      'n1',
      '--label',
      'io.x-k8s.kind.cluster=c',
      '--tmpfs',
      '/tmp',
      '--volume',
      '/var',
      '--volume',
      '/lib/modules:/lib/modules:ro',
      'img',
      'cmd with space',
    ];
    expect(await argsSeen(...kindArgs)).toEqual([
      'run',
      '--label',
      'clusterproof.run=261125-180000-abcd',
      '--label',
      "clusterproof.cluster=it's",
      '--name',
      'n1',
      '--label',
      'io.x-k8s.kind.cluster=c',
      '--tmpfs',
      '/tmp',
      '--mount',
      "type=volume,dst=/var,volume-label=clusterproof.run=261125-180000-abcd,volume-label=clusterproof.cluster=it's",
      '--volume',
      '/lib/modules:/lib/modules:ro',
      'img',
      'cmd with space',
    ]);
  });

  test('other commands pass through unchanged, including empty and odd arguments', async () => {
    expect(await argsSeen('exec', '--privileged', 'n1', 'sh', '-c', 'echo "$HOME"', '')).toEqual([
      'exec',
      '--privileged',
      'n1',
      'sh',
      '-c',
      'echo "$HOME"',
      '',
    ]);
    expect(await argsSeen('ps', '-a', '--filter', 'label=io.x-k8s.kind.cluster=c')).toEqual([
      'ps',
      '-a',
      '--filter',
      'label=io.x-k8s.kind.cluster=c',
    ]);
  });

  test('a trailing --volume with no value is passed on as is', async () => {
    expect((await argsSeen('run', 'img', '--volume')).slice(-2)).toEqual(['img', '--volume']);
  });
});
