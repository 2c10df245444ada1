import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeForms, formSimilarity, partForms } from '../../src/watchlist/part-forms.ts';
import { letterCounts, partBound, similarityBound } from '../../src/watchlist/similarity-bound.ts';

// Parts built from the letters and pieces names are made of, so that many pairs are alike
// (respellings, suffixes, German and French readings, compounds), not only random strings.
const piece = fc.constantFrom('a', 'e', 'i', 'o', 'u', 'y', 'kh', 'sch', 'zh', 'dh', 'gh', 'q', 'w', 'ss', 'abdul', 'abu', 'muhammad', 'zoda', 'ov', 'eva', 'i', 'zai', 'al', 'r', 'h', 'm', 'd', 'n', 's', 't', 'k', 'b', 'l', 'j');
const part = fc.array(piece, { minLength: 1, maxLength: 6 }).map((p) => p.join(''));

describe('bounding the similarity of two parts', () => {
  it('never falls below the similarity formSimilarity gives, over every reading, and the bound over all forms at once never below the bound pair by pair', () => {
    fc.assert(
      fc.property(part, part, fc.boolean(), fc.boolean(), (a, b, ga, gb) => {
        const fa = decodeForms(partForms(a, ga));
        const fb = decodeForms(partForms(b, gb));
        const exact = formSimilarity(fa, fb).similarity;
        const bound = similarityBound(fa, letterCounts(fa)!, fb, letterCounts(fb)!, 2);
        expect(bound).toBeGreaterThanOrEqual(exact);
        expect(partBound(letterCounts(fa)!, letterCounts(fb)!)).toBeGreaterThanOrEqual(bound);
      }),
      { numRuns: 20_000 },
    );
  });

  it('sets plainly different names below the part floor, and alike ones above it', () => {
    const bound = (a: string, b: string): number => {
      const fa = decodeForms(partForms(a));
      const fb = decodeForms(partForms(b));
      return similarityBound(fa, letterCounts(fa)!, fb, letterCounts(fb)!, 2);
    };
    expect(bound('karimov', 'haqqani')).toBeLessThan(0.8);
    expect(bound('aziz', 'abdul')).toBeLessThan(0.8);
    expect(bound('haqqani', 'haqani')).toBeGreaterThanOrEqual(0.8);
  });

  it('gives no counts for a form with letters outside a to z, so that the similarity is worked out in full', () => {
    expect(letterCounts([{ reading: '=', text: 'ab-c' }])).toBeUndefined();
  });
});
