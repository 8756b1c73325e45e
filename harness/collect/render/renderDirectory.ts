// Renders one directory the walk found (a kustomization or a chart) with the tool it needs.
import type { RenderOptions, RenderTarget } from './renderOptions.ts';
import { helmTemplate } from './helmTemplate.ts';
import { kustomizeBuild, type RenderResult } from './kustomizeBuild.ts';
import { findRenderTool } from './renderTools.ts';

/** `namespace`: the release namespace for helm (`--namespace`); kustomize output keeps what the kustomization says. */
export async function renderDirectory(target: RenderTarget, namespace: string, options: RenderOptions): Promise<RenderResult> {
  const tool = findRenderTool(target.tool);
  return target.tool === 'helm' ? helmTemplate(tool, target.path, namespace, options) : kustomizeBuild(tool, target.path);
}
