import { Random } from '../src/generate/random.ts';
import { NAMES } from '../src/generate/region.ts';
import type { WatchlistEntry } from '../src/watchlist/entry.ts';
import { foldName } from '../src/watchlist/normalise-name.ts';
import type { ScreenQuery, WatchlistIndex } from '../src/watchlist/watchlist-index.ts';

/**
 * Seeded synthetic data for measuring screening: national watchlist entries with names of
 * the region, and a labelled query set made from a list (variants of listed people as
 * positives, similar names of the region as negatives).
 */

export interface LabelledQuery {
  query: ScreenQuery;
  /** The entry the query must find; undefined for a negative. */
  target?: string;
  /** How the query was made, e.g. `translit+swap`, `cyrillic`, `negative:namesake`. */
  variant: string;
}

const COUNTRIES = ['KAZ', 'UZB', 'KGZ', 'TJK', 'TKM', 'RUS', 'AFG', 'AZE'] as const;
const STEMS = [...new Set(COUNTRIES.flatMap((c) => NAMES[c]!.male))].filter((n) => !n.includes(' '));
const SUFFIXES: Record<string, string[]> = {
  KAZ: ['ov', 'bekov', 'bayev', 'uly'], UZB: ['ov', 'bekov', 'jonov', 'xo\u02bbjayev'], KGZ: ['ov', 'bekov', ' uulu', 'aliyev'],
  TJK: ['zoda', 'ov', 'iyon', 'zod'], TKM: ['ov', 'yev', 'gulyyev', 'berdiyev'], RUS: ['ov', 'in', 'ev', 'sky'], AFG: ['zai', 'i', 'yar', 'khel'], AZE: ['ov', 'li', 'zade', 'bayli'],
};

function regionPerson(rng: Random): { family: string; given: string; sex: 'F' | 'M'; nationality: string } {
  const nationality = rng.pick(COUNTRIES);
  const pool = NAMES[nationality]!;
  const sex = rng.chance(0.5) ? 'M' : 'F';
  let family: string;
  if (rng.chance(0.1)) family = rng.pick(pool.family);
  else {
    // Family names of the region are mostly a man's name with a suffix (Nurlan → Nurlanov).
    const suffix = rng.pick(SUFFIXES[nationality]!);
    family = rng.pick(STEMS) + suffix;
  }
  if (pool.gendered && sex === 'F') family = family.replace(/(ov|ev|in)$/, '$1a');
  let given = rng.pick(sex === 'M' ? pool.male : pool.female);
  if (rng.chance(0.3) && pool.gendered) given += ` ${rng.pick(STEMS)}${sex === 'M' ? 'ovich' : 'ovna'}`;
  return { family, given, sex, nationality };
}

function randomDate(rng: Random, fromYear: number, toYear: number): string {
  const y = rng.int(fromYear, toYear);
  return `${y}-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`;
}

/** `count` national-list entries of people of the region, with dates of birth and passports. */
export function nationalEntries(count: number, seed: number): WatchlistEntry[] {
  const rng = new Random(seed);
  return Array.from({ length: count }, (_, i) => {
    const p = regionPerson(rng);
    return {
      id: `NAT-${i + 1}`,
      kind: 'individual' as const,
      names: [{ full: `${p.given} ${p.family}`, family: p.family, quality: 'primary' as const }],
      datesOfBirth: [randomDate(rng, 1950, 2005)],
      sex: p.sex,
      nationalities: [p.nationality],
      documents: [{ type: 'passport', number: `${NAMES[p.nationality]!.passport[0]}${rng.digits(NAMES[p.nationality]!.passport[1])}`, issuingState: p.nationality }],
    };
  });
}

// Spelling changes a clerk, a transliteration table or another country's passport office makes.
const RESPELL: [RegExp, string][] = [
  [/kh/, 'h'], [/kh/, 'x'], [/(?<![csz])h/, 'kh'], [/zh/, 'j'], [/(?<!d)j/, 'zh'], [/(?<!d)j/, 'dzh'], [/y/, 'i'], [/i$/, 'iy'], [/^e/, 'ye'], [/^ye/, 'e'],
  [/u/, 'ou'], [/ou/, 'u'], [/ee/, 'i'], [/oo/, 'u'], [/([bdlmnrst])\1/, '$1'], [/([aeiou])([lmnr])([aeiou])/, '$1$2$2$3'], [/q/, 'k'], [/k/, 'q'],
  [/w/, 'v'], [/v/, 'w'], [/ph/, 'f'], [/dh/, 'd'], [/th/, 't'], [/([^y])ev$/, '$1yev'], [/aev$/, 'ayev'], [/zoda$/, 'zade'], [/zade$/, 'zoda'],
  [/(?<=.)o(?=[^aeiou])/, 'u'], [/(?<=.)u(?=[^aeiou])/, 'o'], [/(?<=.)a(?=[^aeiou])/, 'e'], [/(?<=.)e(?=[^aeiou])/, 'a'],
];

const CYRILLIC: [string, string][] = [
  ['shch', 'щ'], ['sh', 'ш'], ['ch', 'ч'], ['zh', 'ж'], ['kh', 'х'], ['ts', 'ц'], ['yu', 'ю'], ['ya', 'я'], ['yo', 'ё'], ['ye', 'е'],
  ['a', 'а'], ['b', 'б'], ['v', 'в'], ['g', 'г'], ['d', 'д'], ['e', 'е'], ['z', 'з'], ['i', 'и'], ['y', 'ы'], ['k', 'к'], ['l', 'л'], ['m', 'м'],
  ['n', 'н'], ['o', 'о'], ['p', 'п'], ['r', 'р'], ['s', 'с'], ['t', 'т'], ['u', 'у'], ['f', 'ф'], ['h', 'х'], ['c', 'к'], ['j', 'дж'], ['q', 'к'], ['w', 'в'], ['x', 'кс'],
];

/** A Latin name as a Russian-speaking clerk would write it in Cyrillic. */
export function toCyrillic(part: string): string {
  let out = '';
  for (let i = 0; i < part.length; ) {
    const hit = CYRILLIC.find(([l]) => part.startsWith(l, i));
    if (hit === undefined) i++;
    else {
      // й, not ы, after a vowel (Sergey → Сергей).
      out += hit[0] === 'y' && /[aeiou]/.test(part[i - 1] ?? '') ? 'й' : hit[1];
      i += hit[0].length;
    }
  }
  return out.charAt(0).toUpperCase() + out.slice(1);
}

function respell(rng: Random, part: string): string {
  for (let tries = 0; tries < 12; tries++) {
    const [re, to] = rng.pick(RESPELL);
    if (re.test(part)) return part.replace(re, to);
  }
  return part;
}

const KINDS = ['respell', 'respell+typo', 'swap', 'missing', 'join', 'cyrillic', 'mrz', 'typo'] as const;

const KEYBOARD = 'qwertyuiopasdfghjklzxcvbnm';

function typo(rng: Random, part: string): string {
  if (part.length < 4) return part;
  const i = rng.int(1, part.length - 2);
  switch (rng.int(0, 3)) {
    case 0:
      return part.slice(0, i) + rng.pick([...KEYBOARD]) + part.slice(i + 1);
    case 1:
      return part.slice(0, i) + part.slice(i + 1);
    case 2:
      return part.slice(0, i) + part[i] + part.slice(i);
    default:
      return part.slice(0, i) + part[i + 1] + part[i] + part.slice(i + 2);
  }
}

function queryDate(rng: Random, listed: readonly string[]): string | undefined {
  const d = listed[0];
  const r = rng.next();
  if (d === undefined || r < 0.15) return undefined;
  if (d.length === 10 && r < 0.85) return d;
  let year = d.includes('..') ? rng.int(Number(d.slice(0, 4)), Number(d.slice(6, 10))) : Number(d.slice(0, 4));
  // Some documents carry a date a year or two off the listed one (approximate listings, 1 January defaults).
  if (r >= 0.85) year += rng.pick([-2, -1, 1, 2]);
  return `${year}-01-01`;
}

function mrzField(family: string[], given: string[]): string {
  const f = (parts: string[]): string => parts.join('<').toUpperCase().replace(/[^A-Z<]/g, '');
  return `${f(family)}<<${f(given)}`.slice(0, 39).padEnd(39, '<');
}

/**
 * A labelled query set from the individuals of `entries`: `perPerson` variants of each
 * (respellings, typos, swaps, missing or joined parts, Cyrillic and MRZ forms) and
 * `negatives` names of the region that are not listed. A negative whose every part is a
 * part of one listed name (a true namesake of a listed person) is skipped: screening
 * must flag it, so it is neither a positive nor a negative of the set.
 */
export function labelledQueries(entries: readonly WatchlistEntry[], index: WatchlistIndex, options: { seed: number; perPerson: number; negatives: number }): LabelledQuery[] {
  const rng = new Random(options.seed);
  const out: LabelledQuery[] = [];
  const people = entries.filter((e) => e.kind === 'individual');
  people.forEach((e, person) => {
    const latin = e.names.filter((n) => n.script === undefined && n.quality !== 'low');
    if (latin.length === 0) return;
    for (let v = 0; v < options.perPerson; v++) {
      const name = rng.chance(0.6) ? latin[0]! : rng.pick(latin);
      let parts = foldName(name.full);
      if (parts.length === 0) continue;
      // Rotated per person, so that a few variants per person still cover every kind.
      const kind = KINDS[(v + person) % KINDS.length]!;
      const tags: string[] = [kind];
      if (kind.startsWith('respell') || kind === 'cyrillic' || kind === 'mrz') {
        const i = rng.int(0, parts.length - 1);
        parts[i] = respell(rng, parts[i]!);
        if (rng.chance(0.5)) {
          const j = rng.int(0, parts.length - 1);
          parts[j] = respell(rng, parts[j]!);
        }
      }
      if (kind.endsWith('typo')) {
        const i = rng.int(0, parts.length - 1);
        parts[i] = typo(rng, parts[i]!);
      }
      if (kind === 'missing' && parts.length >= 3) parts = [parts[0]!, parts[parts.length - 1]!];
      if (kind === 'join') {
        // Given names written as one (Abdul Rahman → Abdulrahman), or one split (Shamsurrahman → Shamsur Rahman).
        const longest = parts.reduce((best, p, i) => (p.length > parts[best]!.length ? i : best), 0);
        if (parts.length >= 3) {
          const i = rng.int(0, parts.length - 3);
          parts = [...parts.slice(0, i), parts[i]! + parts[i + 1]!, ...parts.slice(i + 2)];
        } else if (parts[longest]!.length >= 8) {
          const p = parts[longest]!;
          const at = rng.int(3, p.length - 3);
          parts = [...parts.slice(0, longest), p.slice(0, at), p.slice(at), ...parts.slice(longest + 1)];
        }
      }
      // Lists write given names first; a passport puts the family name in its own field.
      let family = parts.slice(-1);
      let given = parts.slice(0, -1);
      if (kind === 'swap') [family, given] = [given.length > 0 ? given : family, given.length > 0 ? family : []];
      const dateOfBirth = queryDate(rng, e.datesOfBirth);
      const nationality = e.nationalities.length > 0 && rng.chance(0.7) ? rng.pick(e.nationalities) : undefined;
      const base = { ...(dateOfBirth === undefined ? {} : { dateOfBirth }), ...(e.sex === undefined ? {} : { sex: e.sex }), ...(nationality === undefined ? {} : { nationality }) };
      let query: ScreenQuery;
      if (kind === 'cyrillic') query = { familyName: family.map(toCyrillic).join(' '), givenNames: given.map(toCyrillic).join(' '), ...base };
      else if (kind === 'mrz') query = { familyName: '', givenNames: '', mrzNames: mrzField(family, given), ...base };
      else query = { familyName: family.join(' '), givenNames: given.join(' '), ...base };
      out.push({ query, target: e.id, variant: tags.join('+') });
    }
  });
  let made = 0;
  for (let tries = 0; made < options.negatives && tries < options.negatives * 3; tries++) {
    const p = regionPerson(rng);
    let variant = 'negative:region';
    const r = rng.next();
    if (r < 0.3) {
      // Shares the listed family part of someone on the list: a namesake in one part only.
      const e = rng.pick(people);
      const parts = foldName(e.names[0]!.full);
      p.family = parts[parts.length - 1] ?? p.family;
      variant = 'negative:shares-family';
    } else if (r < 0.45) {
      const e = rng.pick(people);
      p.given = foldName(e.names[0]!.full)[0] ?? p.given;
      variant = 'negative:shares-given';
    }
    const query: ScreenQuery = { familyName: p.family, givenNames: p.given, dateOfBirth: randomDate(rng, 1950, 2005), sex: p.sex, nationality: p.nationality };
    const listed = index.candidates(query).some((m) => m.explanation.unmatchedQuery.length === 0 && m.explanation.parts.every((x) => x.similarity === 1));
    if (listed) continue;
    out.push({ query, variant });
    made++;
  }
  return out;
}

export interface QualityPoint {
  threshold: number;
  /** Positives whose target is among the matches. */
  recall: number;
  /**
   * Alerts that are right: a query with at least one match is an alert; it is right when
   * the query is a positive and its target is among the matches.
   */
  precision: number;
  /** Matches that are the query's target, over all matches (a positive that also matches another listed person counts that match as false). */
  matchPrecision: number;
  positives: number;
  negatives: number;
  found: number;
  /** Alerts on negatives, or on positives without their target. */
  falseAlerts: number;
  /** Matches to an entry that is not the query's target. */
  falseMatches: number;
}

/** Recall and precision at each threshold, from one scoring of every query. */
export function qualityCurve(index: WatchlistIndex, set: readonly LabelledQuery[], thresholds: readonly number[]): QualityPoint[] {
  const scored = set.map((l) => ({ l, candidates: index.candidates(l.query) }));
  const positives = set.filter((l) => l.target !== undefined).length;
  return thresholds.map((threshold) => {
    let found = 0;
    let falseAlerts = 0;
    let falseMatches = 0;
    for (const { l, candidates } of scored) {
      let hit = false;
      let alert = false;
      for (const m of candidates) {
        if (m.score < threshold) continue;
        alert = true;
        if (m.entryId === l.target) hit = true;
        else falseMatches++;
      }
      if (hit) found++;
      else if (alert) falseAlerts++;
    }
    return {
      threshold,
      recall: found / positives,
      precision: found + falseAlerts === 0 ? 1 : found / (found + falseAlerts),
      matchPrecision: found + falseMatches === 0 ? 1 : found / (found + falseMatches),
      positives,
      negatives: set.length - positives,
      found,
      falseAlerts,
      falseMatches,
    };
  });
}
