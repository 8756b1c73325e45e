// `kustomize build` of a directory holding a kustomization. Where each object came from is read from kustomize's
// `config.kubernetes.io/origin` annotation, which it only writes when a kustomization sets
// `buildMetadata: [originAnnotations]`. The user's files are never edited: a wrapper kustomization in a temporary
// directory lists the user's directory as its one resource and sets buildMetadata (kustomize refuses absolute
// resource paths, so the wrapper names it relatively). The annotation is removed from the objects after reading.
import { mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { execa } from 'execa';
import { parse } from 'yaml';
import type { InputProblem } from '../../errors.ts';
import type { RenderedSource } from '../../model/state.ts';
import { parseInputFile, type ParsedObject } from '../files/parseInputFile.ts';
import { isRecord } from '../../model/isRecord.ts';
import { relocated, sourceFile } from './renderedLocation.ts';
import { toolVersion, type RenderTool } from './renderTools.ts';

const ORIGIN = 'config.kubernetes.io/origin';

export interface RenderResult {
  objects: ParsedObject[];
  problems: InputProblem[];
  rendered?: RenderedSource;
}

export async function kustomizeBuild(tool: RenderTool, dir: string): Promise<RenderResult> {
  const wrapper = await realpath(await mkdtemp(join(tmpdir(), 'clusterproof-kustomize-')));
  try {
    const target = await realpath(dir);
    await writeFile(
      join(wrapper, 'kustomization.yaml'),
      `resources:\n- ${JSON.stringify(relative(wrapper, target))}\nbuildMetadata: [originAnnotations]\n`,
    );
    const result = await execa(tool.path, ['build', wrapper], { reject: false, stdin: 'ignore', maxBuffer: 512 * 1024 * 1024 });
    if (result.exitCode !== 0) {
      return {
        objects: [],
        problems: [
          {
            file: dir,
            message: `kustomize build failed: ${oneLine(String(result.stderr))}`,
            fix: `run \`kustomize build ${dir}\` to see the whole error and fix the kustomization`,
          },
        ],
      };
    }
    const label = `${dir} (kustomize build)`;
    const parsed = parseInputFile(label, String(result.stdout));
    const objects = parsed.objects.map((o) => relocated(stripOrigin(o.value), sourceFile(dir, originFile(o.value, wrapper, target))));
    return {
      objects,
      problems: parsed.problems,
      rendered: { tool: 'kustomize', path: dir, version: await toolVersion(tool), objects: objects.length },
    };
  } finally {
    await rm(wrapper, { recursive: true, force: true });
  }
}

/**
 * The file an object was read from, from its origin annotation: `path` is relative to the top kustomization (the
 * wrapper); generated objects name the kustomization that configured them; remote bases keep `repo//path`.
 * Without an annotation (a kustomize that does not write them), the kustomization directory itself.
 */
function originFile(value: unknown, wrapper: string, target: string): string {
  const text =
    isRecord(value) && isRecord(value.metadata) && isRecord(value.metadata.annotations) ? value.metadata.annotations[ORIGIN] : undefined;
  const origin: unknown = typeof text === 'string' ? parse(text) : undefined;
  if (!isRecord(origin)) return target;
  if (typeof origin.repo === 'string') return `${origin.repo}//${String(origin.path ?? '')}`;
  const path = typeof origin.path === 'string' ? origin.path : typeof origin.configuredIn === 'string' ? origin.configuredIn : undefined;
  return path === undefined ? target : resolve(wrapper, path);
}

function stripOrigin(value: unknown): unknown {
  if (!isRecord(value) || !isRecord(value.metadata) || !isRecord(value.metadata.annotations)) return value;
  const { [ORIGIN]: _origin, ...annotations } = value.metadata.annotations;
  const { annotations: _all, ...metadata } = value.metadata;
  return { ...value, metadata: Object.keys(annotations).length > 0 ? { ...metadata, annotations } : metadata };
}

export function oneLine(text: string): string {
  return text
    .trim()
    .replace(/^Error: /, '')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .join(' | ')
    .slice(0, 600);
}
