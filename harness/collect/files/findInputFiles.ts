// Expands the paths given on the command line into input files. Directories are walked recursively for .yaml, .yml
// and .json; hidden directories and node_modules are skipped, and so is `clusterproof.yaml` (the spec, not state).
// A file named explicitly is read whatever its extension: the user asked for it.
// A directory holding a kustomization (kustomization.yaml, .yml, Kustomization) or a Chart.yaml is not walked: it
// is rendered (kustomize build, helm template) and its subdirectories are not read. So the top-most such directory
// under each given path is the one rendered; to scan a kustomize overlay, pass the overlay directory.
import { readdir, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { errorMessage, type InputProblem } from '../../errors.ts';
import { isBundleDir } from '../bundle.ts';
import { renderToolFor, type RenderTarget } from '../render/renderOptions.ts';

const SPEC_FILE = 'clusterproof.yaml';
const EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

interface InputFiles {
  files: string[];
  bundles: string[];
  /** Directories to render instead of reading their files. */
  render: RenderTarget[];
  problems: InputProblem[];
}

export async function findInputFiles(paths: string[]): Promise<InputFiles> {
  const out: InputFiles = { files: [], bundles: [], render: [], problems: [] };
  if (paths.length === 0) {
    out.problems.push({
      file: '(command line)',
      message: 'no input files or directories given',
      fix: 'pass files or directories, e.g. `clusterproof scan ./cluster-dump`',
    });
  }
  for (const path of paths) {
    try {
      const info = await stat(path);
      if (info.isDirectory()) await walk(path, out);
      else if (basename(path) !== SPEC_FILE) out.files.push(path);
    } catch (error) {
      out.problems.push({ file: path, message: `cannot read: ${errorCode(error)}`, fix: 'check that the path exists and is readable' });
    }
  }
  out.files = [...new Set(out.files)];
  return out;
}

async function walk(dir: string, out: InputFiles): Promise<void> {
  if (await isBundleDir(dir)) {
    out.bundles.push(dir);
    return;
  }
  const entries = await readdir(dir, { withFileTypes: true });
  const tool = renderToolFor(entries.filter((e) => e.isFile()).map((e) => e.name));
  if (tool) {
    if (!out.render.some((r) => r.path === dir)) out.render.push({ path: dir, tool });
    return;
  }
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!entry.name.startsWith('.') && entry.name !== 'node_modules') await walk(path, out);
    } else if (EXTENSIONS.has(extname(entry.name).toLowerCase()) && entry.name !== SPEC_FILE) {
      out.files.push(path);
    }
  }
}

export function errorCode(error: unknown): string {
  if (error && typeof error === 'object' && 'code' in error && typeof error.code === 'string') {
    return (
      ({ ENOENT: 'no such file or directory', EACCES: 'permission denied', EISDIR: 'is a directory' } as Record<string, string>)[
        error.code
      ] ?? error.code
    );
  }
  return errorMessage(error);
}
