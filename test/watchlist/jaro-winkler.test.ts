import path from 'node:path';
import fc from 'fast-check';
import talismanJaroWinkler from 'talisman/metrics/jaro-winkler.js';
import { describe, expect, it } from 'vitest';
import { jaroWinkler } from '../../src/watchlist/jaro-winkler.ts';
import { loadWatchlistFile } from '../../src/watchlist/load-watchlist.ts';
import { foldParts } from '../../src/watchlist/normalise-name.ts';
import { decodeForms, partForms } from '../../src/watchlist/part-forms.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

// Skeleton-like texts: few letters, so that matches, transpositions and common prefixes abound.
const small = fc.stringMatching(/^[abdhikmnrstu]{0,12}$/);
const text = fc.oneof(
  { weight: 4, arbitrary: small },
  { weight: 2, arbitrary: fc.stringMatching(/^[a-z]{0,20}$/) },
  { weight: 1, arbitrary: fc.string({ maxLength: 16 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 10 }) },
  // Longer than the scratch arrays start.
  { weight: 1, arbitrary: fc.stringMatching(/^[ab]{60,140}$/) },
);
// A text and one near it: letters swapped, dropped, added or changed.
const near = fc.tuple(small, fc.array(fc.tuple(fc.nat(12), fc.constantFrom('swap', 'drop', 'add', 'change'), fc.constantFrom('a', 'h', 'k', 'z')), { maxLength: 3 })).map(([t, edits]) => {
  let u = t;
  for (const [at, op, ch] of edits) {
    const i = u.length === 0 ? 0 : at % u.length;
    if (op === 'swap' && i + 1 < u.length) u = u.slice(0, i) + u[i + 1] + u[i] + u.slice(i + 2);
    else if (op === 'drop') u = u.slice(0, i) + u.slice(i + 1);
    else if (op === 'add') u = u.slice(0, i) + ch + u.slice(i);
    else u = u.slice(0, i) + ch + u.slice(i + 1);
  }
  return [t, u] as const;
});

describe('Jaro-Winkler over char codes in scratch arrays', () => {
  it('gives, to the bit, the similarity talisman gives for random and skeleton-like texts', () => {
    fc.assert(
      fc.property(text, text, (a, b) => {
        expect(Object.is(jaroWinkler(a, b), talismanJaroWinkler(a, b))).toBe(true);
      }),
      { numRuns: 60_000 },
    );
  });

  it('gives, to the bit, the similarity talisman gives for texts a few edits apart', () => {
    fc.assert(
      fc.property(near, ([a, b]) => {
        expect(Object.is(jaroWinkler(a, b), talismanJaroWinkler(a, b))).toBe(true);
        expect(Object.is(jaroWinkler(b, a), talismanJaroWinkler(b, a))).toBe(true);
      }),
      { numRuns: 60_000 },
    );
  });

  it('gives the similarity talisman gives for pairs of readings of the UN list’s parts', () => {
    const list = loadWatchlistFile(path.join(ROOT, 'rules', 'watchlists', 'un-sc.json'));
    const texts = new Set<string>();
    for (const entry of list.entries) for (const name of entry.names) for (const part of foldParts(name.full)) for (const f of decodeForms(partForms(part))) texts.add(f.text);
    const all = [...texts].sort();
    expect(all.length).toBeGreaterThan(3_000);
    // Each text against its neighbours in order (alike beginnings) and against a spread of others.
    const differ: string[] = [];
    for (let i = 0; i < all.length; i++) {
      for (const j of [i + 1, i + 2, i + 3, (i * 7919) % all.length, (i * 104_729 + 13) % all.length]) {
        const a = all[i]!;
        const b = all[j % all.length]!;
        if (!Object.is(jaroWinkler(a, b), talismanJaroWinkler(a, b))) differ.push(`${a}/${b}`);
      }
    }
    expect(differ).toEqual([]);
  });
});
