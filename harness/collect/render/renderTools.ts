// Where the rendering tools are and which versions are pinned. The pins live in tools.json, which
// scripts/setup-tools.sh also reads, so the binary the TypeScript looks for is the one the script built.
import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { execa } from 'execa';
import { RunError } from '../../errors.ts';
import { packagePath } from '../../paths.ts';
import { cacheDir } from '../../provision/state.ts';

type RenderToolName = 'helm' | 'kustomize';

interface ToolPins {
  helm: { version: string };
  kustomize: { version: string };
  /** The Kubernetes version charts are rendered for when neither the user nor the spec says: the test bed's. */
  defaultKubeVersion: string;
}

export const TOOL_PINS = JSON.parse(readFileSync(packagePath('harness/collect/render/tools.json'), 'utf8')) as ToolPins;

const ENV_VARS: Record<RenderToolName, string> = { helm: 'CLUSTERPROOF_HELM', kustomize: 'CLUSTERPROOF_KUSTOMIZE' };
const SETUP_TOOLS = 'bash scripts/setup-tools.sh';

export interface RenderTool {
  name: RenderToolName;
  path: string;
}

/** The binary to run: $CLUSTERPROOF_HELM / $CLUSTERPROOF_KUSTOMIZE, else the pinned build in the cache, else PATH. */
export function findRenderTool(name: RenderToolName, env: NodeJS.ProcessEnv = process.env): RenderTool {
  const override = env[ENV_VARS[name]];
  if (override !== undefined && override !== '') {
    if (isExecutable(override)) return { name, path: override };
    throw new RunError(`${ENV_VARS[name]}=${override} is not an executable file`, {
      fix: `point ${ENV_VARS[name]} at a ${name} binary, or unset it and run \`${SETUP_TOOLS}\``,
    });
  }
  const pinned = join(cacheDir(), 'bin', `${name}-${TOOL_PINS[name].version}`, name);
  if (isExecutable(pinned)) return { name, path: pinned };
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir !== '' && isExecutable(join(dir, name))) return { name, path: join(dir, name) };
  }
  throw new RunError(`${name} is needed to render this directory but was not found (looked at $${ENV_VARS[name]}, ${pinned} and PATH)`, {
    fix: `run \`${SETUP_TOOLS}\` (builds ${name} ${TOOL_PINS[name].version} from the Go module proxy), or set ${ENV_VARS[name]}`,
  });
}

/** The version the binary reports (`v3.22.1`, `v5.8.3`), recorded in state.source.rendered. */
export async function toolVersion(tool: RenderTool): Promise<string> {
  const args = tool.name === 'helm' ? ['version', '--short'] : ['version'];
  const result = await execa(tool.path, args, { reject: false, stdin: 'ignore' });
  if (result.exitCode !== 0) {
    throw new RunError(`${tool.path} ${args.join(' ')} failed (exit ${result.exitCode ?? '?'}): ${String(result.stderr).trim()}`, {
      fix: `run \`${SETUP_TOOLS}\` to build a working ${tool.name}`,
    });
  }
  // helm prints `v3.22.1+g<commit>`; kustomize `v5.8.3`. Only the version is kept.
  return String(result.stdout).trim().replace(/\+.*$/, '');
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
