// Errors that reach the user. Bad input names the file, where in it, what was expected and how to fix it;
// the CLI maps InputError to exit code 2 and prints every problem at once.

export interface InputProblem {
  file: string;
  /** 1-based position, when known. */
  line?: number;
  column?: number;
  /** JSON pointer (or dotted path) to the offending field. */
  pointer?: string;
  message: string;
  /** How to fix it, ideally with an example. */
  fix?: string;
}

export class InputError extends Error {
  readonly problems: InputProblem[];
  constructor(problems: InputProblem[], options?: { cause?: unknown }) {
    super(problems.map(formatProblem).join('\n'), options);
    this.name = 'InputError';
    this.problems = problems;
  }
}

/** The run itself could not be done (environment, unreachable cluster, internal failure): exit 2. */
export class RunError extends Error {
  readonly fix?: string;
  constructor(message: string, options?: { cause?: unknown; fix?: string }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RunError';
    this.fix = options?.fix;
  }
}

function formatProblem(p: InputProblem): string {
  const where = [p.file, p.line, p.line === undefined ? undefined : p.column].filter((x) => x !== undefined).join(':');
  const pointer = p.pointer ? ` at ${p.pointer}` : '';
  const fix = p.fix ? `\n    fix: ${p.fix}` : '';
  return `${where}${pointer}: ${p.message}${fix}`;
}

/** The message of anything thrown: an Error's message, else its string form. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
