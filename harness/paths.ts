// Data files (schemas, control catalogue, templates) live beside the source and are shipped in the package;
// resolve them from the package root so the same code works from source and from dist/.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageRoot(start: string): string {
  let dir = start;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`clusterproof: no package.json above ${start}`);
    dir = parent;
  }
  return dir;
}

export const packageRoot = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

/** Absolute path of a file shipped with the package, given relative to the package root. */
export function packagePath(...segments: string[]): string {
  return join(packageRoot, ...segments);
}
