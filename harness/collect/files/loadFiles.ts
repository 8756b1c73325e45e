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
import type { RenderOptions } from '../render/renderOptions.ts';

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
  const limit = maxInputBytes();
  if (typeof limit !== 'number') throw new InputError([limit]);
  for (const file of files) {
    const input = await readInputText(file, limit);
    if (!input.ok) {
      builder.problems.push(input.problem);
      continue;
    }
    builder.state.source.inputs.push({ path: file, sha256: sha256(input.bytes) });
    // One document at a time: the builder keeps what it needs of each object, the parsed document is let go.
    for (const object of parseInputObjects(file, input.text, builder.problems)) addChecked(builder, object);
  }
  const rendered: RenderedSource[] = [];
  for (const target of render) {
    // A chart is rendered once, into the first --namespace (its .Release.Namespace).
    const result = await renderDirectory(target, options.defaultNamespaces?.[0] ?? 'default', options.render ?? {});
    builder.problems.push(...result.problems);
    if (result.rendered) rendered.push(result.rendered);
    for (const object of result.objects) addChecked(builder, object);
  }
  if (rendered.length > 0) builder.state.source.rendered = rendered;
  return builder.finish();
}

/** A Kubernetes object with a field of a type the API server would refuse is a problem at that field, not read. */
function addChecked(builder: StateBuilder, parsed: ParsedObject): void {
  const problems = isKubernetesObject(parsed.value) ? fieldTypeProblems(parsed.value) : [];
  if (problems.length === 0) return builder.addParsed(parsed);
  for (const p of problems) {
    const at = parsed.locate(p.path);
    builder.problems.push({
      file: at.file,
      ...(at.line !== undefined ? { line: at.line, column: at.column } : {}),
      pointer: p.path.join('.'),
      message: `document ${at.documentIndex ?? 0} (0-based): ${p.message}`,
      fix: 'give the field the type the Kubernetes API expects (`kubectl explain KIND.FIELD` shows it); `kubectl apply` refuses it too',
    });
  }
}
