// XML escaping for the JUnit writer. junit-report-builder 5.1.2 cannot give <skipped> a message and puts bodies
// in CDATA (which `]]>` in evidence would end), so the writer emits XML itself through these two functions;
// the XSD test proves the output well-formed and valid.
import { cleanText } from './plainText.ts';

/** Character data: forbidden characters dropped, markup characters escaped. */
export function xmlText(value: string): string {
  return cleanText(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Attribute value (double-quoted): as text, plus quotes, and whitespace kept as character references. */
export function xmlAttr(value: string): string {
  return xmlText(value).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}
