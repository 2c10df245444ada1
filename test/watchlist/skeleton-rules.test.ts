import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalPart, RULES } from '../../src/watchlist/part-forms.ts';

// Pieces of names and the letter groups the rules rewrite, so that most rules fire somewhere.
const piece = fc.constantFrom('shch', 'tch', 'dzh', 'dj', 'zh', 'kh', 'x', 'cz', 'ck', 'q', 'ph', 'w', 'gh', 'th', 'dh', 'ou', 'oo', 'ee', 'y', 'ei', 'abo', 'abu', 'bu', 'ie', 'ii', 'iev', 'ullo', 'ulloh', 'zoda', 'zadeh', 'ova', 'eva', 'ina', 'a', 'e', 'i', 'o', 'u', 'b', 'd', 'k', 'l', 'm', 'n', 'r', 's', 't', 'v', 'z', 'ss');
const part = fc.array(piece, { minLength: 1, maxLength: 6 }).map((p) => p.join(''));

describe('reading a part by the skeleton rules, skipping rules whose letters it lacks', () => {
  it('gives the skeleton that applying every rule in turn gives', () => {
    fc.assert(
      fc.property(fc.oneof(part, fc.stringMatching(/^[a-z]{1,12}$/)), (p) => {
        const everyRule = RULES.reduce((s, [re, to]) => s.replace(re, to), p);
        expect(canonicalPart(p)).toBe(everyRule);
      }),
      { numRuns: 20_000 },
    );
  });
});
