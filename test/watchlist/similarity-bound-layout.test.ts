import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Form, decodeForms, partForms, READING } from '../../src/watchlist/part-forms.ts';
import { letterCounts, partBound, similarityBound } from '../../src/watchlist/similarity-bound.ts';

// The letter counts and bounds as they were before their counts were laid out in one run of
// bytes (five typed arrays a part), kept here to hold the new layout to the same bounds.
const LETTERS = 26;
const A = 97;

interface OldLetterCounts {
  counts: Uint8Array;
  letters: Uint8Array;
  starts: Int32Array;
  most: Uint8Array;
  mostLetters: Uint8Array;
  shortest: number;
  firsts: number;
}

function oldLetterCounts(forms: readonly Form[]): OldLetterCounts | undefined {
  const counts = new Uint8Array(forms.length * LETTERS);
  const starts = new Int32Array(forms.length + 1);
  let distinct = 0;
  for (let f = 0; f < forms.length; f++) {
    const text = forms[f]!.text;
    for (let i = 0; i < text.length; i++) {
      const x = text.charCodeAt(i) - A;
      if (x < 0 || x >= LETTERS || counts[f * LETTERS + x] === 255) return undefined;
      if (counts[f * LETTERS + x]!++ === 0) distinct++;
    }
  }
  const letters = new Uint8Array(distinct);
  let n = 0;
  for (let f = 0; f < forms.length; f++) {
    starts[f] = n;
    for (let x = 0; x < LETTERS; x++) if (counts[f * LETTERS + x]! > 0) letters[n++] = x;
  }
  starts[forms.length] = n;
  const most = new Uint8Array(LETTERS);
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
  const mostLetters = new Uint8Array(m);
  for (let x = 0, k = 0; x < LETTERS; x++) if (most[x]! > 0) mostLetters[k++] = x;
  return { counts, letters, starts, most, mostLetters, shortest, firsts };
}

function oldPartBound(la: OldLetterCounts, lb: OldLetterCounts): number {
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

function oldSimilarityBound(a: readonly Form[], la: OldLetterCounts, b: readonly Form[], lb: OldLetterCounts, enough: number): number {
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

const piece = fc.constantFrom('a', 'e', 'i', 'o', 'u', 'y', 'kh', 'sch', 'zh', 'dh', 'gh', 'q', 'w', 'ss', 'abdul', 'abu', 'muhammad', 'zoda', 'ov', 'eva', 'zai', 'al', 'r', 'h', 'm', 'd', 'n', 's', 't', 'k', 'b', 'l', 'j', 'ch', 'ou');
const part = fc.oneof(
  { weight: 4, arbitrary: fc.array(piece, { minLength: 1, maxLength: 6 }).map((p) => p.join('')) },
  { weight: 1, arbitrary: fc.stringMatching(/^[a-z]{0,14}$/) },
);
// Forms as they come (a part's readings), and forms made up: empty, long, split, outside a to z.
const madeUp = fc.array(
  fc.record({ reading: fc.constantFrom<Form['reading']>(READING.skeleton, READING.german, READING.split, READING.stem), text: fc.oneof(fc.stringMatching(/^[a-z]{0,40}$/), fc.constantFrom('', 'a-b', 'aaaa')) }),
  { minLength: 1, maxLength: 6 },
);
const forms = fc.oneof({ weight: 3, arbitrary: fc.tuple(part, fc.boolean()).map(([p, g]) => decodeForms(partForms(p, g))) }, { weight: 1, arbitrary: madeUp });

describe('letter counts in one run of bytes', () => {
  it('give the bounds the counts in five arrays gave', () => {
    fc.assert(
      fc.property(forms, forms, fc.constantFrom(0.8, 2), (fa, fb, enough) => {
        const [na, nb, oa, ob] = [letterCounts(fa), letterCounts(fb), oldLetterCounts(fa), oldLetterCounts(fb)];
        expect(na === undefined).toBe(oa === undefined);
        expect(nb === undefined).toBe(ob === undefined);
        if (na === undefined || nb === undefined || oa === undefined || ob === undefined) return;
        expect(partBound(na, nb)).toBe(oldPartBound(oa, ob));
        expect(similarityBound(fa, na, fb, nb, enough)).toBe(oldSimilarityBound(fa, oa, fb, ob, enough));
      }),
      { numRuns: 30_000 },
    );
  });
});
