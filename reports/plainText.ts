// Text that came from a cluster or a spec is untrusted: a label, an annotation or a pod's log line can hold
// terminal escapes, NUL bytes or lone surrogates. Every human-facing writer (XML, HTML, Markdown, workflow
// commands) starts from this cleaned form so a hostile string can neither break the format nor recolour a CI log.

/** ANSI/VT100 control sequences (CSI … final byte, OSC … BEL/ST, and two-byte ESC sequences). */
const ANSI_SEQUENCE = /\u001b(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|[@-Z\\-_])/g;

/**
 * Characters XML 1.0 forbids (C0 controls except tab/LF/CR, U+FFFE/U+FFFF, lone surrogates) plus DEL and the C1
 * controls, which are legal XML but are terminal controls and never meant as text.
 */
const FORBIDDEN_CHARS =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Removes terminal escape sequences and characters no text format should carry; keeps tab, LF and CR. */
export function cleanText(value: string): string {
  return value.replace(ANSI_SEQUENCE, '').replace(FORBIDDEN_CHARS, '');
}

/** One line: newlines and runs of whitespace become single spaces. */
export function oneLine(value: string): string {
  return cleanText(value).replace(/\s+/g, ' ').trim();
}

/** Cuts `value` to at most `max` characters, marking the cut so a reader knows text is missing. */
export function truncate(value: string, max: number): string {
  if (value.length <= max) return value;
  const cut = value.slice(0, Math.max(0, max - 1));
  // Do not leave half of a surrogate pair at the end.
  const safe = /[\ud800-\udbff]$/.test(cut) ? cut.slice(0, -1) : cut;
  return `${safe}…`;
}
