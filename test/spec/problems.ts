// Test helper: the problems an InputError carries, or a failure when the call did not throw one.
import { InputError, type InputProblem } from '../../harness/errors.ts';

export async function problemsOf(load: () => unknown): Promise<InputProblem[]> {
  try {
    await load();
  } catch (error) {
    if (error instanceof InputError) return error.problems;
    throw error;
  }
  throw new Error('expected an InputError, but the input was accepted');
}

/** `line:column pointer` of each problem, the compact form positions are asserted in. */
export function where(problems: InputProblem[]): string[] {
  return problems.map((p) => `${p.line}:${p.column} ${p.pointer ?? ''}`.trimEnd());
}
