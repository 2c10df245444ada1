import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadEvalSet } from '../../bench/watchlist-eval.ts';
import { loadWatchlistFile } from '../../src/watchlist/load-watchlist.ts';
import { buildWatchlistIndex, type ScreenQuery } from '../../src/watchlist/watchlist-index.ts';

/**
 * Screening gives the same matches, scores and explanations however the index gets there: a few
 * thousand varied names (the evaluation set's queries, its family and given names paired anew,
 * family names respelt, MRZ name fields, Cyrillic beside Latin) are screened against the shipped
 * UN list and every result (`screen`, and `candidates`, which scores every candidate whatever
 * the threshold) is compared with the result the straightforward index gave, recorded in
 * `test/fixtures/watchlist/screening-expected.json`. The names are screened twice in a row, so
 * that a name the index has prepared before must come out the same as a new one.
 *
 * When the scoring is meant to change, write the file anew from the changed code and review
 * what moved: `UPDATE_SCREENING_EXPECTED=1 npx vitest run test/watchlist/screening-equivalence.test.ts`.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const EXPECTED = path.join(ROOT, 'test', 'fixtures', 'watchlist', 'screening-expected.json');

/** The queries, in a fixed order: no randomness, so that the recorded results stay comparable. */
function queries(): ScreenQuery[] {
  const items = loadEvalSet().map((i) => i.query as ScreenQuery);
  const n = items.length;
  const out: ScreenQuery[] = [...items];
  // Family name of one item, given names (and qualifiers) of another: new pairs of known parts,
  // some of them Cyrillic beside Latin.
  for (let i = 0; i < n; i++) out.push({ ...items[(i * 7 + 3) % n]!, familyName: items[i]!.familyName });
  // Family names respelt: a letter dropped, doubled or added, as a new part would be.
  for (let i = 0; i < n; i += 2) {
    const q = items[i]!;
    const f = q.familyName;
    const k = 1 + (i % Math.max(1, f.length - 1));
    const respelt = i % 3 === 0 ? f.slice(0, k) + f.slice(k + 1) : i % 3 === 1 ? f.slice(0, k) + f[k - 1] + f.slice(k) : `${f}${'aeiou'[i % 5]}`;
    out.push({ ...q, familyName: respelt });
  }
  // With the MRZ name field as a passport prints it, sometimes differing from the names sent.
  for (let i = 0; i < n; i += 3) {
    const q = items[i]!;
    const given = i % 2 === 0 ? q.givenNames : items[(i + 11) % n]!.givenNames;
    const field = `${q.familyName}<<${given}`.toUpperCase().replace(/[^A-Z<]+/g, '<');
    out.push({ ...q, mrzNames: `${field}<<<<` });
  }
  // Without qualifiers, and with only one of the fields.
  for (let i = 1; i < n; i += 5) {
    const q = items[i]!;
    out.push({ familyName: q.familyName, givenNames: q.givenNames });
    out.push({ familyName: q.familyName, givenNames: '' });
    out.push({ familyName: '', givenNames: q.givenNames });
  }
  return out;
}

function digest(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 12);
}

describe('screening the same names as the straightforward index did', () => {
  it('gives every name the matches, scores and explanations recorded, new or seen before', () => {
    const index = buildWatchlistIndex(loadWatchlistFile(path.join(ROOT, 'rules', 'watchlists', 'un-sc.json')), { threshold: 0.9, maxMatches: 50 });
    const qs = queries();
    expect(qs.length).toBeGreaterThan(3_000);
    const rounds: string[][] = [[], []];
    let matched = 0;
    for (const results of rounds) {
      for (const q of qs) {
        const screened = index.screen(q);
        if (results === rounds[0] && screened.length > 0) matched++;
        results.push(`${digest(screened)} ${digest(index.candidates(q))}`);
      }
    }
    const [results, again] = rounds as [string[], string[]];
    // Seen before (its prepared name cached), a name comes out as it did when new.
    expect(again.flatMap((r, i) => (r === results[i] ? [] : [i])).slice(0, 10)).toEqual([]);
    if (process.env.UPDATE_SCREENING_EXPECTED === '1') {
      mkdirSync(path.dirname(EXPECTED), { recursive: true });
      writeFileSync(EXPECTED, `${JSON.stringify({ queries: qs.length, matched, results }, null, 0)}\n`);
    }
    const expected = JSON.parse(readFileSync(EXPECTED, 'utf8')) as { queries: number; matched: number; results: string[] };
    // Enough names match for the comparison to say something about matches, not only misses.
    expect(matched).toBeGreaterThan(500);
    expect({ queries: qs.length, matched }).toEqual({ queries: expected.queries, matched: expected.matched });
    const differing = results.flatMap((r, i) => (r === expected.results[i] ? [] : [`${i}: ${JSON.stringify(qs[i])}`]));
    expect(differing.slice(0, 10)).toEqual([]);
  });
});
