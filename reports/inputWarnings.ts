// One line per loader warning, the same in every writer: where (file:line:column), what, and the fix.
import type { InputWarning } from '../harness/model/state.ts';
import { formatSource } from './evidenceText.ts';

export function inputWarningText(w: InputWarning): string {
  return `${formatSource(w)}: ${w.message}${w.fix ? ` (fix: ${w.fix})` : ''}`;
}
