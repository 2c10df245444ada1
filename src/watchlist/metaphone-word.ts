/**
 * The word Double Metaphone (`double-metaphone.ts`) is coding, as char codes in a reused
 * buffer, and the two codes being built from it: state of one call at a time, read by its
 * letter rules through `at` and `has` and written through `emit`.
 */

export const SPACE = 32;
export const A = 65, B = 66, C = 67, D = 68, E = 69, F = 70, G = 71, H = 72, I = 73, J = 74, K = 75, L = 76, M = 77;
export const N = 78, O = 79, P = 80, Q = 81, R = 82, S = 83, T = 84, U = 85, V = 86, W = 87, X = 88, Y = 89, Z = 90;
export const C_CEDILLA = 0xc7, N_TILDE = 0xd1;

// The word's upper-case char codes start at BASE, followed by five spaces (talisman pads the
// word so); everything before and after is 0, which no letter tested for equals. A negative
// position stands for what `substr` with a negative start gives there: padding or nothing,
// neither of which any rule matches.
const BASE = 8;
let buf = new Int32Array(64);
/** Whether the word loaded has W, K or CZ: read by the rules that code such words apart. */
export let slavoGermanic = false;
/** The codes built so far (`emit`), emptied by `load`. */
export let primary = '';
export let secondary = '';

/** The char code at position `i` of the word loaded (0 outside it and its padding). */
export const at = (i: number): number => buf[BASE + i]!;

export function isVowel(c: number): boolean {
  return c === A || c === E || c === I || c === O || c === U || c === Y;
}

/** Whether `text` (upper-case ASCII) is written from position `i`. */
export function has(i: number, text: string): boolean {
  for (let k = 0; k < text.length; k++) if (at(i + k) !== text.charCodeAt(k)) return false;
  return true;
}

/** Adds to the primary and the alternate code. */
export function emit(one: string, two: string): void {
  primary += one;
  secondary += two;
}

/** Makes `word` the word read by `at` and `has`, and empties the codes. */
export function load(word: string): void {
  let ascii = true;
  for (let i = 0; i < word.length; i++) if (word.charCodeAt(i) > 127) ascii = false;
  // Non-ASCII text is upper-cased as talisman does (ß becomes SS, the word grows).
  const upper = ascii ? word : word.toUpperCase();
  const n = upper.length;
  if (buf.length < BASE + n + 16) buf = new Int32Array(2 * (BASE + n + 16));
  slavoGermanic = false;
  primary = '';
  secondary = '';
  let prev = 0;
  for (let i = 0; i < n; i++) {
    let c = upper.charCodeAt(i);
    if (ascii && c >= 97 && c <= 122) c -= 32;
    buf[BASE + i] = c;
    if (c === W || c === K || (c === Z && prev === C)) slavoGermanic = true;
    prev = c;
  }
  for (let i = n; i < n + 5; i++) buf[BASE + i] = SPACE;
  buf.fill(0, BASE + n + 5, BASE + n + 16);
}
