// Reads one input file as text, refusing what kubectl would refuse before any parsing: files above the size limit
// (the whole text is held while it is parsed), binary files and bytes that are not UTF-8. Each refusal is one problem
// naming the file (and the line of the first bad byte), never echoing the content.
import { isUtf8 } from 'node:buffer';
import { readFile, stat } from 'node:fs/promises';
import type { InputProblem } from '../../errors.ts';
import { errorCode } from './findInputFiles.ts';

/** Default per-file limit: just under V8's longest string (2^29 - 24 chars), which a bigger file could not become. */
const DEFAULT_MAX_INPUT_BYTES = 500 * 1024 * 1024;
const MAX_INPUT_BYTES_ENV = 'CLUSTERPROOF_MAX_INPUT_BYTES';
/** How much of the start of a file is looked at to tell binary from text (as git does). */
const SNIFF_BYTES = 8192;
/** Share of control bytes (other than tab, newline, carriage return, form feed) above which a file is binary. */
const MAX_CONTROL_RATIO = 0.1;

type InputText = { ok: true; bytes: Buffer; text: string } | { ok: false; problem: InputProblem };

export function maxInputBytes(env: NodeJS.ProcessEnv = process.env): number | InputProblem {
  const raw = env[MAX_INPUT_BYTES_ENV];
  if (raw === undefined || raw === '') return DEFAULT_MAX_INPUT_BYTES;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value <= 0) {
    return {
      file: `(environment ${MAX_INPUT_BYTES_ENV})`,
      message: `${MAX_INPUT_BYTES_ENV}=${JSON.stringify(raw)} is not a positive whole number of bytes`,
      fix: `set it to a byte count, e.g. ${MAX_INPUT_BYTES_ENV}=${DEFAULT_MAX_INPUT_BYTES}, or unset it for the default`,
    };
  }
  return value;
}

export async function readInputText(file: string, limit: number): Promise<InputText> {
  let bytes: Buffer;
  try {
    const size = (await stat(file)).size;
    if (size > limit) {
      return refuse({
        file,
        message: `file is ${formatBytes(size)}, above the input size limit of ${formatBytes(limit)}`,
        fix: `split it into smaller files (one per namespace or kind), or raise the limit with ${MAX_INPUT_BYTES_ENV}=<bytes> (needs about 8x its size in memory)`,
      });
    }
    bytes = await readFile(file);
  } catch (error) {
    return refuse({ file, message: `cannot read: ${errorCode(error)}`, fix: 'check that the file exists and is readable' });
  }
  const binary = binaryReason(bytes);
  if (binary) {
    return refuse({
      file,
      message: `binary file, not text (${binary}); content not shown`,
      fix: 'remove it from the scanned paths, or if it is text in UTF-16 or another encoding, save it as UTF-8',
    });
  }
  const text = new TextDecoder('utf-8').decode(bytes);
  const bad = firstInvalidUtf8(bytes, text);
  if (bad) {
    return refuse({
      file,
      line: bad.line,
      column: bad.column,
      message: `not valid UTF-8: byte 0x${(bytes[bad.offset] ?? 0).toString(16).padStart(2, '0')} at offset ${bad.offset} (kubectl refuses such a file); content not shown`,
      fix: 'save the file as UTF-8, e.g. `iconv -f latin1 -t utf-8 FILE > FILE.utf8`',
    });
  }
  return { ok: true, bytes, text };
}

function refuse(problem: InputProblem): InputText {
  return { ok: false, problem };
}

/** Why the first bytes look binary: a NUL byte, or many control bytes. Undefined for text. */
function binaryReason(bytes: Uint8Array): string | undefined {
  const head = bytes.subarray(0, SNIFF_BYTES);
  const nul = head.indexOf(0);
  if (nul !== -1) return `NUL byte at offset ${nul}`;
  let control = 0;
  for (const b of head) if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) || b === 0x7f) control++;
  if (head.length > 0 && control / head.length > MAX_CONTROL_RATIO) return `${control} control bytes in the first ${head.length}`;
  return undefined;
}

/**
 * The first byte that is not UTF-8, with its line and column. `text` is the lenient decoding of `bytes`: a bad
 * sequence became U+FFFD there, so only those places are checked (a U+FFFD written as EF BF BD is genuine).
 */
function firstInvalidUtf8(bytes: Buffer, text: string): { offset: number; line: number; column: number } | undefined {
  if (isUtf8(bytes)) return undefined;
  let line = 1;
  let lineStart = 0;
  let offset = 0;
  let scanned = 0;
  for (let i = text.indexOf('\uFFFD'); i !== -1; i = text.indexOf('\uFFFD', i + 1)) {
    offset += Buffer.byteLength(text.slice(scanned, i));
    scanned = i;
    if (bytes[offset] === 0xef && bytes[offset + 1] === 0xbf && bytes[offset + 2] === 0xbd) continue;
    for (let j = text.indexOf('\n', lineStart); j !== -1 && j < i; j = text.indexOf('\n', j + 1)) {
      line++;
      lineStart = j + 1;
    }
    return { offset, line, column: i - lineStart + 1 };
  }
  return { offset: 0, line: 1, column: 1 }; // not reached: invalid bytes always decode to U+FFFD
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MiB (${n} bytes)` : `${n} bytes`;
}
