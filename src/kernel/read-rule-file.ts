import fs from 'node:fs';
import { RuleLoadError, toError } from '../errors.ts';

/**
 * Largest rule, scoring or stream file read. The shipped ones are a few kB; a file of
 * rules a megabyte long is a mistake (or an attack), and YAML parsing is not free.
 */
export const MAX_RULE_FILE_BYTES = 1024 * 1024;
/** Largest reference list or watchlist file read (the shipped HS code list is 650 kB). */
export const MAX_LIST_FILE_BYTES = 64 * 1024 * 1024;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads a rule, list, stream or watchlist file as text, refusing one larger than
 * `maxBytes` before reading it and one that is not UTF-8 (which `readFileSync(…, 'utf8')`
 * would quietly turn into U+FFFD, so that a list key or a name silently stops matching).
 * A byte-order mark is dropped. Problems are `RuleLoadError`s naming the file and line.
 */
export function readRuleFile(file: string, maxBytes: number): string {
  let bytes: Buffer;
  try {
    const size = fs.statSync(file).size;
    if (size > maxBytes) throw new RuleLoadError([{ file, path: '', message: tooLarge(size, maxBytes) }]);
    bytes = fs.readFileSync(file);
  } catch (thrown) {
    if (thrown instanceof RuleLoadError) throw thrown;
    throw new RuleLoadError([{ file, path: '', message: `cannot read: ${toError(thrown).message}` }]);
  }
  try {
    return utf8.decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    const line = bytes.subarray(0, at).filter((b) => b === 0x0a).length + 1;
    throw new RuleLoadError([{ file, line, path: '', message: `not UTF-8 text: byte 0x${bytes[at]!.toString(16).padStart(2, '0')} at offset ${at}; save the file as UTF-8` }]);
  }
}

function tooLarge(size: number, max: number): string {
  const mib = (n: number): string => `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return `file is ${mib(size)}, more than the ${mib(max)} a file of this kind may be; split it or move long value lists into rules/lists/`;
}

/** Offset of the first byte that does not start or continue a well-formed UTF-8 sequence (the WHATWG rules). */
function firstInvalidUtf8(bytes: Buffer): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const length = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (length === 0) return i;
    // The second byte's range is narrower after E0, ED, F0 and F4 (no overlongs, surrogates or code points past U+10FFFF).
    const low = b === 0xe0 ? 0xa0 : b === 0xf0 ? 0x90 : 0x80;
    const high = b === 0xed ? 0x9f : b === 0xf4 ? 0x8f : 0xbf;
    for (let k = 1; k < length; k++) {
      const c = bytes[i + k];
      if (c === undefined || c < (k === 1 ? low : 0x80) || c > (k === 1 ? high : 0xbf)) return i;
    }
    i += length;
  }
  return bytes.length;
}
