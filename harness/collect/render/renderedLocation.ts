// Rendered objects point at the file a reviewer edits (a template, a kustomize resource), not at the tool's output.
import { isAbsolute, relative } from 'node:path';
import type { SourceLocation } from '../../model/findings.ts';
import type { ParsedObject } from '../files/parseInputFile.ts';

/**
 * `absolute` as the user would write it: relative to the working directory when the rendered directory was given
 * relative, else absolute. No line: the tool's output does not say where in a template or patched resource an
 * object starts, and a guessed line would point a reviewer at the wrong place.
 */
export function sourceFile(givenDir: string, absolute: string): SourceLocation {
  return { file: isAbsolute(givenDir) ? absolute : relative(process.cwd(), absolute) || '.' };
}

/** The same object, now said to come from `location` (every inner value too: the line is unknown there as well). */
export function relocated(value: unknown, location: SourceLocation): ParsedObject {
  return { value, location, locate: () => location };
}
