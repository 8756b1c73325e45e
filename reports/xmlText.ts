// XML escaping for the JUnit writer. junit-report-builder 5.1.2 cannot give <skipped> a message (we need it for
// "waived by … until …") and writes bodies as CDATA, which cannot hold `]]>` as-is; so the writer emits XML itself
// through these two functions, and the XSD tests (including a fast-check property) prove the output valid.
import { cleanText } from './plainText.ts';

/** Character data: forbidden characters dropped, markup characters escaped. */
export function xmlText(value: string): string {
  return cleanText(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Attribute value (double-quoted): as text, plus quotes, and whitespace kept as character references. */
export function xmlAttr(value: string): string {
  return xmlText(value).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}
