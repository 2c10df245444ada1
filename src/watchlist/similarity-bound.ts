import { type Form, READING } from './part-forms.ts';
import { blockBytes, blockInt32s } from './typed-blocks.ts';

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

/** The letters of each form of a part, counted. */
export interface LetterCounts {
  /** 26 counts per form, forms in order. */
  counts: Uint8Array;
  /** Each form's distinct letters (0–25), from `starts[f]` to `starts[f + 1]`. */
  letters: Uint8Array;
  starts: Int32Array;
  /** The most of each letter any one form holds, its distinct letters, and the shortest form's length (forms written as a split left out). */
  most: Uint8Array;
  mostLetters: Uint8Array;
  shortest: number;
  /** Bit x set when some form begins with letter x. */
  firsts: number;
}

/** Letter counts of each form; `undefined` when a form holds anything but a–z. */
export function letterCounts(forms: readonly Form[]): LetterCounts | undefined {
  // All from shared blocks: a part's counts outgrow what V8 keeps on its heap, and even a small
  // typed array costs more to construct than a view into a block (`typed-blocks.ts`).
  const counts = blockBytes(forms.length * LETTERS);
  const starts = blockInt32s(forms.length + 1);
  let distinct = 0;
  for (let f = 0; f < forms.length; f++) {
    const text = forms[f]!.text;
    for (let i = 0; i < text.length; i++) {
      const x = text.charCodeAt(i) - A;
      if (x < 0 || x >= LETTERS || counts[f * LETTERS + x] === 255) return undefined;
      if (counts[f * LETTERS + x]!++ === 0) distinct++;
    }
  }
  const letters = blockBytes(distinct);
  let n = 0;
  for (let f = 0; f < forms.length; f++) {
    starts[f] = n;
    for (let x = 0; x < LETTERS; x++) if (counts[f * LETTERS + x]! > 0) letters[n++] = x;
  }
  starts[forms.length] = n;
  const most = blockBytes(LETTERS);
  let shortest = Number.POSITIVE_INFINITY;
  let firsts = 0;
  for (let f = 0; f < forms.length; f++) {
    if (forms[f]!.reading === READING.split) continue;
    const text = forms[f]!.text;
    if (text.length < shortest) shortest = text.length;
    if (text.length > 0) firsts |= 1 << (text.charCodeAt(0) - A);
    for (let x = 0; x < LETTERS; x++) if (counts[f * LETTERS + x]! > most[x]!) most[x] = counts[f * LETTERS + x]!;
  }
  let m = 0;
  for (let x = 0; x < LETTERS; x++) if (most[x]! > 0) m++;
  const mostLetters = blockBytes(m);
  for (let x = 0, k = 0; x < LETTERS; x++) if (most[x]! > 0) mostLetters[k++] = x;
  return { counts, letters, starts, most, mostLetters, shortest, firsts };
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
  const letters = la.mostLetters;
  const ma = la.most;
  const mb = lb.most;
  let c = 0;
  for (let k = 0; k < letters.length; k++) {
    const x = letters[k]!;
    const na = ma[x]!;
    const nb = mb[x]!;
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
  const ca = la.counts;
  const cb = lb.counts;
  const letters = la.letters;
  let best = 0;
  for (let i = 0; i < a.length; i++) {
    const fa = a[i]!;
    if (fa.reading === READING.split) continue;
    const ta = fa.text;
    const from = la.starts[i]!;
    const to = la.starts[i + 1]!;
    for (let j = 0; j < b.length; j++) {
      const fb = b[j]!;
      if (fb.reading === READING.split) continue;
      const tb = fb.text;
      // Jaro holds two empty texts alike: no bound is worth that case.
      if (ta.length === 0 || tb.length === 0) return 1;
      let c = 0;
      for (let k = from, oa = i * LETTERS, ob = j * LETTERS; k < to; k++) {
        const x = letters[k]!;
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
