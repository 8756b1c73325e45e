// HTML escaping for the HTML report. Everything that came from a cluster, a spec or a file name goes through
// `html` (text and attribute values alike); the report builds markup only from its own literals.
import { cleanText } from './plainText.ts';

export function html(value: string | number | boolean): string {
  return cleanText(String(value))
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A value usable as an element id / fragment: our own characters only. */
export function htmlId(prefix: string, value: string): string {
  return `${prefix}-${value.replace(/[^A-Za-z0-9_-]/g, (ch) => `_${ch.codePointAt(0)?.toString(16) ?? ''}`)}`;
}
