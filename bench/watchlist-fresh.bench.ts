/**
 * Watchlist screening of names never seen before, against the UN list as the shipped rule set
 * indexes it (`unIndex`: threshold 0.9, 50 matches). The index keeps each name it has prepared
 * (its parts interned, its candidates resolved), so a traveller whose name it has screened
 * before costs a few µs; these rows screen only names it has not:
 *
 * - "new names of known parts": names no crossing of seeded traffic carries, made of the family
 *   and given names its travellers carry (`newNames`), each screened once: new travellers whose
 *   names are new combinations of parts the index may have met in another name;
 * - "new parts": the same crossings with the family name respelt (four letters added, as the
 *   "never seen" row of `watchlist.bench.ts`), so that every name brings a part no name had.
 *   Each run respells anew: the caches of `part-forms.ts` outlive an index, and a run that
 *   screened the parts of the run before would find their readings there, as a new part never
 *   does (the rows before this change measured that: 8–20 µs a name less than new parts cost).
 *
 * Each run builds a fresh index (not timed), then screens every query once; the figure is the
 * process's CPU time (user + system) over the screening, which a shared machine disturbs less
 * than wall time. Rows alternate run by run; medians of `--runs` runs.
 *
 *   node --import tsx bench/watchlist-fresh.bench.ts [--names 20000] [--runs 5]
 */
import path from 'node:path';
import { generateTraffic } from '../src/generate/traffic.ts';
import { trafficReference } from '../src/generate/traffic-reference.ts';
import { loadRuleSet } from '../src/rules/rule-set.ts';
import type { ScreenQuery } from '../src/watchlist/watchlist-index.ts';
import { intOption } from './fresh-traffic.bench.ts';
import { quantile } from './stats.ts';
import { unIndex } from './watchlist-eval.ts';

const ROOT = path.resolve(import.meta.dirname, '..');

/**
 * `count` names no crossing of seeded traffic carries: the family names and given names of its
 * first `crossings` crossings paired anew (family name of one traveller, given names of another
 * of the same sex), each with the date of birth, sex and nationality of the traveller whose
 * given names it takes. Generated traffic draws its travellers from a pool, so its own names
 * repeat (2,027 distinct names in 60,000 crossings): these are the new travellers a day brings,
 * whose names are new combinations of parts the index may have met in another name.
 */
export function newNames(count: number, seed = 11, crossings = 20_000): ScreenQuery[] {
  const rules = loadRuleSet({ rulesDir: path.join(ROOT, 'rules'), streamsDir: path.join(ROOT, 'streams') });
  const traffic = generateTraffic({ seed, plantRate: 0, ...trafficReference(rules.lists) });
  const seen = new Set<string>();
  const travellers: ScreenQuery[] = [];
  for (let n = 0; n < crossings; ) {
    const { event } = traffic.next().value;
    if (event.kind !== 'crossing') continue;
    n++;
    const t = event.traveller;
    const key = `${t.familyName}\u0000${t.givenNames}`;
    if (seen.has(key)) continue;
    seen.add(key);
    travellers.push({ familyName: t.familyName, givenNames: t.givenNames, dateOfBirth: t.dateOfBirth, sex: t.sex, nationality: t.nationality });
  }
  const out: ScreenQuery[] = [];
  // Pairs (i, i + step) walk every pair of travellers without repeating one for a long while.
  for (let step = 1; out.length < count && step < travellers.length; step++) {
    for (let i = 0; i < travellers.length && out.length < count; i++) {
      const family = travellers[i]!;
      const given = travellers[(i + step) % travellers.length]!;
      const key = `${family.familyName}\u0000${given.givenNames}`;
      if (given.sex !== family.sex || seen.has(key)) continue;
      seen.add(key);
      out.push({ ...given, familyName: family.familyName });
    }
  }
  if (out.length < count) throw new Error(`only ${out.length} new names from ${crossings} crossings of seed ${seed}`);
  return out;
}

/**
 * The queries with every family name respelt: four letters added, different for each query
 * (the `from`th set of four letters on for the first, so that runs given different `from`s
 * share no respelt part).
 */
export function respelt(queries: readonly ScreenQuery[], from = 0): ScreenQuery[] {
  return queries.map((q, i) => {
    let suffix = '';
    for (let n = from + i, k = 0; k < 4; k++, n = Math.floor(n / 26)) suffix += String.fromCharCode(97 + (n % 26));
    return { ...q, familyName: q.familyName + suffix };
  });
}

export interface FreshNamesRow {
  task: string;
  queries: number;
  /** CPU µs per screened name, median of the runs. */
  usPerName: number;
  namesPerCpuSecond: number;
  runs: number[];
  /** Matches at the index threshold over all queries (the same every run). */
  matches: number;
}

/** One run: a fresh index, every query screened once; CPU µs per query and the matches found. */
function screenOnce(queries: readonly ScreenQuery[]): { us: number; matches: number } {
  const index = unIndex();
  let matches = 0;
  const cpu0 = process.cpuUsage();
  for (const q of queries) matches += index.screen(q).length;
  const cpu = process.cpuUsage(cpu0);
  return { us: (cpu.user + cpu.system) / queries.length, matches };
}

export function runWatchlistFreshBench(options: { names?: number; runs?: number } = {}): FreshNamesRow[] {
  const { names = 20_000, runs = 5 } = options;
  const known = newNames(names);
  // Queries of run r: the new parts respelt anew each run (see above).
  const variants: [string, (r: number) => ScreenQuery[]][] = [
    ['new names of known parts (parts of traffic names paired anew)', () => known],
    ['new parts (every family name respelt)', (r) => respelt(known, r * known.length)],
  ];
  const times = variants.map(() => [] as number[]);
  const matches = variants.map(() => 0);
  for (let r = 0; r < runs; r++) {
    const order = r % 2 === 0 ? variants.keys() : [...variants.keys()].reverse();
    for (const v of order) {
      const once = screenOnce(variants[v]![1](r));
      times[v]!.push(once.us);
      matches[v] = once.matches;
    }
  }
  return variants.map(([task], v) => {
    const usPerName = quantile([...times[v]!].sort((a, b) => a - b), 0.5);
    return { task, queries: known.length, usPerName, namesPerCpuSecond: 1e6 / usPerName, runs: times[v]!, matches: matches[v]! };
  });
}

export function printWatchlistFresh(rows: readonly FreshNamesRow[]): void {
  console.log('| screening never-seen names against the UN list | names | µs CPU/name (median) | names/s (CPU) | runs (µs) | matches |\n|---|---|---|---|---|---|');
  for (const r of rows) {
    console.log(`| ${r.task} | ${r.queries.toLocaleString('en')} | ${r.usPerName.toFixed(1)} | ${Math.round(r.namesPerCpuSecond).toLocaleString('en')} | ${r.runs.map((u) => u.toFixed(1)).join(', ')} | ${r.matches} |`);
  }
}

if (process.argv[1] === import.meta.filename) {
  printWatchlistFresh(runWatchlistFreshBench({ names: intOption('names', 20_000), runs: intOption('runs', 5) }));
}
