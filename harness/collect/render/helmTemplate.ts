// `helm template` of a chart directory. Each rendered document starts with `# Source: <chart>/templates/x.yaml`;
// that comment, with the chart's name replaced by the directory given, is where the object's source is. Charts
// declare `kubeVersion`, and helm checks it against --kube-version, so it is always passed (the cluster's version).
import { access } from 'node:fs/promises';
import { resolve } from 'node:path';
import { execa } from 'execa';
import { parseAllDocuments } from 'yaml';
import type { InputProblem } from '../../errors.ts';
import { parseInputFile } from '../files/parseInputFile.ts';
import { oneLine, type RenderResult } from './kustomizeBuild.ts';
import type { RenderOptions } from './renderOptions.ts';
import { relocated, sourceFile } from './renderedLocation.ts';
import { TOOL_PINS, toolVersion, type RenderTool } from './renderTools.ts';

const DEFAULT_RELEASE_NAME = 'release-name';

export async function helmTemplate(tool: RenderTool, dir: string, namespace: string, options: RenderOptions): Promise<RenderResult> {
  const problems = await missingValuesFiles(options.values ?? []);
  if (problems.length > 0) return { objects: [], problems };
  const releaseName = options.releaseName ?? DEFAULT_RELEASE_NAME;
  const kubeVersion = options.kubeVersion ?? TOOL_PINS.defaultKubeVersion;
  const args = [
    'template',
    releaseName,
    dir,
    '--namespace',
    namespace,
    '--kube-version',
    kubeVersion,
    ...(options.values ?? []).flatMap((f) => ['--values', f]),
    ...(options.set ?? []).flatMap((s) => ['--set', s]),
  ];
  const result = await execa(tool.path, args, { reject: false, stdin: 'ignore', maxBuffer: 512 * 1024 * 1024 });
  if (result.exitCode !== 0) {
    const message = oneLine(String(result.stderr));
    return {
      objects: [],
      problems: [
        {
          file: dir,
          message: `helm template failed: ${message}`,
          fix: /kubeVersion/.test(message)
            ? `the chart's Chart.yaml kubeVersion excludes Kubernetes ${kubeVersion}: pass --kube-version with the cluster's version`
            : `run \`helm template ${releaseName} ${dir}\` with the same --values/--set to see the whole error`,
        },
      ],
    };
  }
  const text = String(result.stdout);
  const sources = documentSources(text);
  const parsed = parseInputFile(`${dir} (helm template)`, text);
  const objects = parsed.objects.map((o) => {
    const template = sources[o.location.documentIndex ?? -1];
    return relocated(o.value, sourceFile(dir, template === undefined ? resolve(dir) : resolve(dir, template)));
  });
  return {
    objects,
    problems: parsed.problems,
    rendered: {
      tool: 'helm',
      path: dir,
      version: await toolVersion(tool),
      objects: objects.length,
      // --set values may carry secrets: keys only.
      options: {
        releaseName,
        namespace,
        kubeVersion,
        values: options.values ?? [],
        set: (options.set ?? []).map((s) => `${s.split('=')[0] ?? s}=(redacted)`),
      },
    },
  };
}

/** Per document (same indexes as parseInputFile's): the template path inside the chart (`templates/x.yaml`). */
function documentSources(text: string): (string | undefined)[] {
  return parseAllDocuments(text).map((doc) => {
    const source = /^# Source: [^/\n]+\/(.+)$/m.exec(text.slice(doc.range[0], doc.range[2]));
    return source?.[1]?.trim();
  });
}

async function missingValuesFiles(files: string[]): Promise<InputProblem[]> {
  const problems: InputProblem[] = [];
  for (const file of files) {
    try {
      await access(file);
    } catch {
      problems.push({
        file,
        message: 'values file not found (--values)',
        fix: 'pass the path of an existing values file, relative to the working directory',
      });
    }
  }
  return problems;
}
