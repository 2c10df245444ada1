import { type Form, READING } from './part-forms.ts';
import { blockBytes } from './typed-blocks.ts';

/**
 * A cheap upper bound of `formSimilarity`, so that the many pairs of parts that are plainly
 * different names (a given name against a listed family name, met because the two names share
 * another part) are set aside without running Jaro-Winkler over every pair of their forms.
 *
 * Jaro counts m characters matched within a window and t transpositions, and is
 * (m/|a| + m/|b| + (m - t)/m) / 3; m is at most c, the letters the two texts have in common
 * counted with repeats, so Jaro is at most (c/|a| + c/|b| + 1) / 3. Winkler's boost (a common
 * prefix of l ≤ 4 letters, 0.1 each, from a Jaro of 0.7) only grows with Jaro. Every rule
 * `partSimilarity` and `formSimilarity` add on top (a different ending, a short part whose
 * consonants differ, a reading or a suffix) subtracts, and a form written as a split is never
 * compared, so the best bound over the compared pairs of forms bounds the similarity.
 */

const LETTERS = 26;
const A = 97;

/**
 * The letters of each form of a part, counted. Everything is in one run of bytes cut from a
 * shared block: a new part's counts are kept for as long as the part, and one view costs the
 * collector less than five.
 */
export interface LetterCounts {
  /**
   * 26 counts per form (forms in order); at `distinct`, each form's number of distinct letters;
   * at `letters`, those letters (0–25) form by form; at `most`, the most of each letter any one
   * form holds (forms written as a split left out); at `mostLetters`, the `mostCount` letters
   * some such form holds.
   */
  bytes: Uint8Array;
  distinct: number;
  letters: number;
  most: number;
  mostLetters: number;
  mostCount: number;
  /** The shortest form's length (forms written as a split left out). */
  shortest: number;
  /** Bit x set when some form begins with letter x. */
  firsts: number;
}

/** Letter counts of each form; `undefined` when a form holds anything but a–z. */
export function letterCounts(forms: readonly Form[]): LetterCounts | undefined {
  const nForms = forms.length;
  let total = 0;
  for (let f = 0; f < nForms; f++) total += forms[f]!.text.length;
  const distinct = nForms * LETTERS;
  const letters = distinct + nForms;
  // The letters take at most one byte per letter of the forms.
  const most = letters + total;
  const mostLetters = most + LETTERS;
  const bytes = blockBytes(mostLetters + LETTERS);
  // Each form's letters are listed as first met, and the most of each as the forms are read:
  // the bounds only add counts up, in any order.
  let n = letters;
  let m = 0;
  let shortest = Number.POSITIVE_INFINITY;
  let firsts = 0;
  for (let f = 0; f < nForms; f++) {
    const form = forms[f]!;
    const text = form.text;
    const at = f * LETTERS;
    const start = n;
    for (let i = 0; i < text.length; i++) {
      const x = text.charCodeAt(i) - A;
      if (x < 0 || x >= LETTERS || bytes[at + x] === 255) return undefined;
      if (bytes[at + x]!++ === 0) bytes[n++] = x;
    }
    bytes[distinct + f] = n - start;
    if (form.reading === READING.split) continue;
    if (text.length < shortest) shortest = text.length;
    if (text.length > 0) firsts |= 1 << (text.charCodeAt(0) - A);
    for (let k = start; k < n; k++) {
      const x = bytes[k]!;
      const count = bytes[at + x]!;
      if (count > bytes[most + x]!) {
        if (bytes[most + x] === 0) bytes[mostLetters + m++] = x;
        bytes[most + x] = count;
      }
    }
  }
  return { bytes, distinct, letters, most, mostLetters, mostCount: m, shortest, firsts };
}

/**
 * A looser bound over all the forms of two parts at once (the most of each letter any form
 * holds, the shortest form, a common prefix of four letters wherever some forms begin alike),
 * that costs one pass over one part's letters: most pairs of parts met are plainly different
 * names, and this sets them aside before their forms are compared pair by pair.
 */
export function partBound(la: LetterCounts, lb: LetterCounts): number {
  // Jaro holds two empty texts alike: no bound is worth that case.
  if (la.shortest === 0 || lb.shortest === 0) return 1;
  if (la.shortest === Number.POSITIVE_INFINITY || lb.shortest === Number.POSITIVE_INFINITY) return 0;
  const a = la.bytes;
  const b = lb.bytes;
  const ma = la.most;
  const mb = lb.most;
  let c = 0;
  for (let k = la.mostLetters, end = la.mostLetters + la.mostCount; k < end; k++) {
    const x = a[k]!;
    const na = a[ma + x]!;
    const nb = b[mb + x]!;
    c += na < nb ? na : nb;
  }
  if (c === 0) return 0;
  let s = (Math.min(1, c / la.shortest) + Math.min(1, c / lb.shortest) + 1) / 3;
  if (s >= 0.7 && (la.firsts & lb.firsts) !== 0) s += 4 * 0.1 * (1 - s);
  return s;
}

/**
 * At least the similarity `formSimilarity(a, b)` gives, given each side's `letterCounts`; it
 * stops as soon as the bound reaches `enough` (the caller then works the similarity out).
 */
export function similarityBound(a: readonly Form[], la: LetterCounts, b: readonly Form[], lb: LetterCounts, enough: number): number {
  const ca = la.bytes;
  const cb = lb.bytes;
  let best = 0;
  let to = la.letters;
  for (let i = 0; i < a.length; i++) {
    // This form's distinct letters run from `from` to `to`.
    const from = to;
    to = from + ca[la.distinct + i]!;
    const fa = a[i]!;
    if (fa.reading === READING.split) continue;
    const ta = fa.text;
    for (let j = 0; j < b.length; j++) {
      const fb = b[j]!;
      if (fb.reading === READING.split) continue;
      const tb = fb.text;
      // Jaro holds two empty texts alike: no bound is worth that case.
      if (ta.length === 0 || tb.length === 0) return 1;
      let c = 0;
      for (let k = from, oa = i * LETTERS, ob = j * LETTERS; k < to; k++) {
        const x = ca[k]!;
        const na = ca[oa + x]!;
        const nb = cb[ob + x]!;
        c += na < nb ? na : nb;
      }
      if (c === 0) continue;
      let s = (c / ta.length + c / tb.length + 1) / 3;
      if (s >= 0.7) {
        const limit = Math.min(ta.length, tb.length, 4);
        let l = 0;
        while (l < limit && ta.charCodeAt(l) === tb.charCodeAt(l)) l++;
        s += l * 0.1 * (1 - s);
      }
      if (s > best) {
        best = s;
        if (best >= enough) return best;
      }
    }
  }
  return best;
}
