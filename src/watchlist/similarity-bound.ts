import { type Form, READING } from './part-forms.ts';

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

/** Letter counts of each form (26 per form, in order); `undefined` when a form holds anything but a–z. */
export function letterCounts(forms: readonly Form[]): Uint8Array | undefined {
  const counts = new Uint8Array(forms.length * LETTERS);
  for (let f = 0; f < forms.length; f++) {
    const text = forms[f]!.text;
    for (let i = 0; i < text.length; i++) {
      const x = text.charCodeAt(i) - A;
      if (x < 0 || x >= LETTERS || counts[f * LETTERS + x] === 255) return undefined;
      counts[f * LETTERS + x]!++;
    }
  }
  return counts;
}

/**
 * At least the similarity `formSimilarity(a, b)` gives, given each side's `letterCounts`; it
 * stops as soon as the bound reaches `enough` (the caller then works the similarity out).
 */
export function similarityBound(a: readonly Form[], ca: Uint8Array, b: readonly Form[], cb: Uint8Array, enough: number): number {
  let best = 0;
  for (let i = 0; i < a.length; i++) {
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
      for (let x = 0, oa = i * LETTERS, ob = j * LETTERS; x < LETTERS; x++) {
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
