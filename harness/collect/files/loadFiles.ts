// Loads a ClusterState from files and directories: Kubernetes manifests and `kubectl get -A -o yaml` output,
// AWS CLI outputs, `terraform show -json` plans, or one evidence bundle directory written by `clusterproof collect`.
// Every problem in every file is reported in one InputError; a state is returned only when all inputs were good.
import type { ClusterState, RenderedSource } from '../../model/state.ts';
import { InputError, type InputProblem } from '../../errors.ts';
import { readBundle, sha256 } from '../bundle.ts';
import { StateBuilder, type BuildOptions } from '../stateBuilder.ts';
import { findInputFiles } from './findInputFiles.ts';
import { parseInputObjects, type ParsedObject } from './parseInputFile.ts';
import { fieldTypeProblems } from '../kubernetes/fieldTypes.ts';
import { isKubernetesObject } from '../kubernetes/normalizeObject.ts';
import { maxInputBytes, readInputText } from './readInputText.ts';
import { renderDirectory } from '../render/renderDirectory.ts';
import type { RenderOptions, RenderTarget } from '../render/renderOptions.ts';

/** How files are read into objects (`--namespace`) and how kustomize directories and charts are rendered. */
export interface LoadOptions extends BuildOptions {
  render?: RenderOptions;
}

export async function loadStateFromPaths(paths: string[], options: LoadOptions = {}): Promise<ClusterState> {
  const { files, bundles, render, problems } = await findInputFiles(paths);
  if (bundles.length > 0) {
    if (bundles.length === 1 && files.length === 0 && render.length === 0 && problems.length === 0) return readBundle(bundles[0] as string);
    throw new InputError([
      ...problems,
      ...bundles.map(
        (b): InputProblem => ({
          file: b,
          message: 'an evidence bundle cannot be combined with other inputs',
          fix: 'scan the bundle on its own, or collect a new bundle from all the inputs with `clusterproof collect --from …`',
        }),
      ),
    ]);
  }

  const builder = new StateBuilder({ type: 'files', inputs: [], collectedAt: new Date().toISOString() }, options);
  builder.problems.push(...problems);
  const rendered: RenderedSource[] = [];
  for await (const object of inputObjects({ files, render }, options, builder.problems, {
    read: (path, digest) => builder.state.source.inputs.push({ path, sha256: digest }),
    rendered: (source) => rendered.push(source),
  }))
    addChecked(builder, object);
  if (rendered.length > 0) builder.state.source.rendered = rendered;
  return builder.finish();
}

/**
 * The Kubernetes objects of files and directories exactly as `scan` reads them (kustomizations and charts rendered
 * the same way), for `run --apply` to deploy: what is judged statically is what runs. Any problem: InputError.
 */
export async function loadManifestObjects(paths: string[], options: LoadOptions = {}): Promise<Record<string, unknown>[]> {
  const { files, bundles, render, problems } = await findInputFiles(paths);
  problems.push(
    ...bundles.map(
      (b): InputProblem => ({
        file: b,
        message: 'an evidence bundle is a record of a cluster, not workloads to deploy',
        fix: 'pass manifests, a kustomization or a chart',
      }),
    ),
  );
  const objects: Record<string, unknown>[] = [];
  for await (const parsed of inputObjects({ files, render }, options, problems)) {
    if (!isKubernetesObject(parsed.value)) {
      // scan only warns about such a document; deploying must not silently leave part of the inputs out.
      problems.push({
        file: parsed.location.file,
        ...(parsed.location.line !== undefined ? { line: parsed.location.line, column: parsed.location.column } : {}),
        message: 'not a Kubernetes object (no string apiVersion and kind), so it cannot be applied',
        fix: 'give the document apiVersion and kind, or leave the file out of --apply',
      });
      continue;
    }
    const typeProblems = fieldTypeProblems(parsed.value);
    if (typeProblems.length === 0) objects.push(parsed.value as Record<string, unknown>);
    for (const p of typeProblems) problems.push(fieldTypeProblem(parsed, p));
  }
  if (problems.length > 0) throw new InputError(problems);
  return objects;
}

/** Every object of the plain files, then of each rendered kustomization or chart; problems are appended as found. */
async function* inputObjects(
  inputs: { files: string[]; render: RenderTarget[] },
  options: LoadOptions,
  problems: InputProblem[],
  record: { read?: (path: string, digest: string) => void; rendered?: (source: RenderedSource) => void } = {},
): AsyncGenerator<ParsedObject, void, undefined> {
  const limit = maxInputBytes();
  if (typeof limit !== 'number') throw new InputError([limit]);
  for (const file of inputs.files) {
    const input = await readInputText(file, limit);
    if (!input.ok) {
      problems.push(input.problem);
      continue;
    }
    record.read?.(file, sha256(input.bytes));
    // One document at a time: the caller keeps what it needs of each object, the parsed document is let go.
    yield* parseInputObjects(file, input.text, problems);
  }
  for (const target of inputs.render) {
    // A chart is rendered once, into the first --namespace (its .Release.Namespace).
    const result = await renderDirectory(target, options.defaultNamespaces?.[0] ?? 'default', options.render ?? {});
    problems.push(...result.problems);
    if (result.rendered) record.rendered?.(result.rendered);
    yield* result.objects;
  }
}

/** A Kubernetes object with a field of a type the API server would refuse is a problem at that field, not read. */
function addChecked(builder: StateBuilder, parsed: ParsedObject): void {
  const problems = isKubernetesObject(parsed.value) ? fieldTypeProblems(parsed.value) : [];
  if (problems.length === 0) return builder.addParsed(parsed);
  for (const p of problems) builder.problems.push(fieldTypeProblem(parsed, p));
}

function fieldTypeProblem(parsed: ParsedObject, p: { path: (string | number)[]; message: string }): InputProblem {
  const at = parsed.locate(p.path);
  return {
    file: at.file,
    ...(at.line !== undefined ? { line: at.line, column: at.column } : {}),
    pointer: p.path.join('.'),
    message: `document ${at.documentIndex ?? 0} (0-based): ${p.message}`,
    fix: 'give the field the type the Kubernetes API expects (`kubectl explain KIND.FIELD` shows it); `kubectl apply` refuses it too',
  };
}
