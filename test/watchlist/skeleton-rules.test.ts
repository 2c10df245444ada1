import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadWatchlistFile } from '../../src/watchlist/load-watchlist.ts';
import { foldParts } from '../../src/watchlist/normalise-name.ts';
import { canonicalPart } from '../../src/watchlist/part-forms.ts';
import { applySkeletonRules, RULES, TWO_LETTER_RULES } from '../../src/watchlist/skeleton-rules.ts';

// Pieces of names and the letter groups the rules rewrite, so that most rules fire somewhere.
const piece = fc.constantFrom(
  'shch', 'tch', 'dzh', 'dj', 'zh', 'kh', 'x', 'cz', 'ck', 'q', 'ph', 'w', 'gh', 'th', 'dh', 'ou', 'oo', 'ee', 'y', 'ei',
  'abo', 'abu', 'bu', 'ie', 'ii', 'iev', 'ullo', 'ulloh', 'ulla', 'ullah', 'ulluh', 'ullu', 'zoda', 'zada', 'zade',
  'zadeh', 'zode', 'ova', 'eva', 'ina', 'a', 'e', 'i', 'o', 'u', 'b', 'd', 'h', 'k', 'l', 'll', 'm', 'n', 'r', 's', 't',
  'v', 'z', 'ss', 'j', 'c',
);
const part = fc.array(piece, { minLength: 1, maxLength: 6 }).map((p) => p.join(''));
const word = fc.oneof(
  { weight: 4, arbitrary: part },
  { weight: 2, arbitrary: fc.stringMatching(/^[a-z]{0,12}$/) },
  // Whole-word rules: the kunya and the -ullah, -zoda endings on short stems.
  { weight: 1, arbitrary: fc.constantFrom('abo', 'abu', 'bu', 'ie', 'iev', 'aiev', 'ula', 'abcula', 'abculo', 'xyzulloh', 'zoda', 'zadeh', 'ova', 'ina', '') },
  // Other than a to z (read by the regular expressions themselves).
  { weight: 1, arbitrary: fc.array(fc.oneof(piece, fc.constantFrom('A', '_', '1', '-', 'é', ' ')), { maxLength: 5 }).map((p) => p.join('')) },
);

const inTurn = (rules: readonly [RegExp, string][], p: string): string => rules.reduce((s, [re, to]) => s.replace(re, to), p);

describe('reading a part by the skeleton rules as scans over char codes', () => {
  it('gives the skeleton that applying every rule in turn gives', () => {
    fc.assert(
      fc.property(word, (p) => {
        expect(applySkeletonRules(p)).toBe(inTurn(RULES, p));
        expect(canonicalPart(p)).toBe(inTurn(RULES, p));
      }),
      { numRuns: 40_000 },
    );
  });

  it('gives the two-letter reading that applying every rule but zh, kh, dh, gh in turn gives', () => {
    expect(TWO_LETTER_RULES.length).toBe(RULES.length - 4);
    fc.assert(
      fc.property(word, (p) => {
        expect(applySkeletonRules(p, true)).toBe(inTurn(TWO_LETTER_RULES, p));
      }),
      { numRuns: 20_000 },
    );
  });

  it('reads every part of the UN list as the rules in turn do, both ways', () => {
    const list = loadWatchlistFile(path.resolve(import.meta.dirname, '../../rules/watchlists/un-sc.json'));
    const parts = new Set(list.entries.flatMap((entry) => entry.names.flatMap((name) => foldParts(name.full))));
    expect(parts.size).toBeGreaterThan(3_000);
    const differ = [...parts].filter((p) => applySkeletonRules(p) !== inTurn(RULES, p) || applySkeletonRules(p, true) !== inTurn(TWO_LETTER_RULES, p));
    expect(differ).toEqual([]);
  });
});
