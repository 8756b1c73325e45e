// The one marker every redaction leaves, in state, bundles and reports alike. It says why, so an auditor reading
// `[redacted: url password]` knows a value existed and what kind it was. Square brackets, not angle brackets:
// HTML, XML and Markdown writers print it unescaped, so a reader (and a test) finds the same text in every format.

export function redacted(reason: string): string {
  return `[redacted: ${reason}]`;
}

/** Matches any marker, for tests and for writers that want to style it. */
export const REDACTION_MARKER = /\[redacted: [a-z0-9 -]+\]/;
