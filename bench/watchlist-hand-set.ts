/**
 * A second, smaller evaluation of watchlist matching, written apart from the main set
 * (`bench/data/watchlist-eval/`) and never used to choose a rule: 189 spellings of 50 UN-listed
 * people written by hand from the romanisation practices of the region (German, French,
 * BGN/PCGN, GOST and ICAO forms of Russian; Tajik and Uzbek forms; Arabic and Persian
 * variants; articles, suffixes, joins; dates of birth with one digit wrong, day and month
 * swapped, or a year only) in `bench/data/watchlist-hand/positives.tsv`, and 353 ordinary
 * travellers of the region, 93 of them namesakes of listed people, from
 * `bench/data/watchlist-hand/make-negatives.py` (its own name tables, seeded).
 *
 * `node --import tsx bench/watchlist-hand-set.ts [--misses]` prints recall and false matches
 * per category at the two name indicators' thresholds.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadWatchlistFile } from '../src/watchlist/load-watchlist.ts';
import { buildWatchlistIndex, type ScreenQuery } from '../src/watchlist/watchlist-index.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const DATA = path.join(ROOT, 'bench', 'data', 'watchlist-hand');
/** The thresholds of `crossing.watchlist-name-match` (alerts alone) and `crossing.watchlist-name-possible`. */
const THRESHOLDS = [0.94, 0.9] as const;

const rows = (file: string): string[][] =>
  readFileSync(path.join(DATA, file), 'utf8')
    .trim()
    .split('\n')
    .map((line) => line.split('\t'));

function query(familyName: string, givenNames: string, dateOfBirth: string, nationality: string): ScreenQuery {
  return { familyName, givenNames, dateOfBirth, nationality };
}

const index = buildWatchlistIndex([loadWatchlistFile(path.join(ROOT, 'rules', 'watchlists', 'un-sc.json'))], { threshold: 0.5, maxMatches: 50 });
const tally = new Map<string, { items: number; hits: number[] }>();
const count = (key: string, score: number): void => {
  const t = tally.get(key) ?? { items: 0, hits: THRESHOLDS.map(() => 0) };
  t.items++;
  THRESHOLDS.forEach((threshold, i) => {
    if (score >= threshold) t.hits[i]!++;
  });
  tally.set(key, t);
};
const misses: string[] = [];
for (const [id = '', family = '', given = '', dob = '', nationality = '', category = ''] of rows('positives.tsv')) {
  const best = Math.max(0, ...index.candidates(query(family, given, dob, nationality)).filter((m) => m.entryId === id).map((m) => m.score));
  count(`variant ${category}`, best);
  if (best < THRESHOLDS[0]) misses.push(`missed  ${category}: ${family} / ${given} ${dob} -> ${id} (best ${best.toFixed(3)})`);
}
for (const [family = '', given = '', dob = '', nationality = '', category = ''] of rows('negatives.tsv')) {
  const [best] = index.candidates(query(family, given, dob, nationality));
  count(`traveller ${category}`, best?.score ?? 0);
  if (best !== undefined && best.score >= THRESHOLDS[1]) misses.push(`matched ${category}: ${family} / ${given} ${dob} -> ${best.name} (${best.score.toFixed(3)})`);
}

const share = (n: number, of: number): string => `${((100 * n) / of).toFixed(1)}%`;
const table = [...tally].sort(([a], [b]) => a.localeCompare(b)).map(([key, t]) => ({ set: key, items: t.items, 'at 0.94': share(t.hits[0]!, t.items), 'at 0.90': share(t.hits[1]!, t.items) }));
const total = (prefix: string, i: number): [number, number] => {
  const ts = [...tally].filter(([key]) => key.startsWith(prefix)).map(([, t]) => t);
  return [ts.reduce((n, t) => n + t.hits[i]!, 0), ts.reduce((n, t) => n + t.items, 0)];
};
console.log('Hand-written evaluation (bench/data/watchlist-hand), UN list: variants found / travellers matched');
console.table(table);
for (const [i, threshold] of THRESHOLDS.entries()) {
  const [found, variants] = total('variant', i);
  const [matched, travellers] = total('traveller', i);
  console.log(`at ${threshold}: recall ${share(found, variants)} of ${variants} variants, false matches ${share(matched, travellers)} of ${travellers} travellers`);
}
if (process.argv.includes('--misses')) console.log(misses.join('\n'));
