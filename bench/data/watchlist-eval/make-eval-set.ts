/**
 * Builds the watchlist evaluation set (`eval-set.json` beside this file) from the shipped UN
 * list: variant spellings of listed individuals, one category each, and ordinary travellers of
 * the region (namesakes of listed people among them). Seeded, so the file is reproducible;
 * its tables (`romanise.ts`, `travellers.ts`) are its own, never the matcher's.
 *
 * Each listed person is put in the tuning part or the held-out part by a fixed rule (the
 * position of its entry id in sorted order: 3 in 5 tuning), and so is every variant of them;
 * travellers are split 3 in 5 the same way by their number.
 *
 * `node --import tsx bench/data/watchlist-eval/make-eval-set.ts` rewrites the file.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROMANISE, capitalise, toKazakhCyrillic, toRussianCyrillic, toTajikCyrillic, toUzbekCyrillic } from './romanise.ts';
import { POOLS } from './travellers.ts';

const HERE = import.meta.dirname;
const ROOT = path.resolve(HERE, '../../..');

export interface EvalQuery {
  familyName: string;
  givenNames: string;
  dateOfBirth?: string;
  sex?: 'F' | 'M';
  nationality?: string;
}

export interface EvalItem {
  id: string;
  part: 'tuning' | 'held-out';
  /** `variant` of a listed person (must match `target`) or an ordinary `traveller` (must not match). */
  kind: 'variant' | 'traveller';
  category: string;
  target?: string;
  /** The listed name the variant was written from (for reading the set). */
  from?: string;
  query: EvalQuery;
}

interface Listed {
  id: string;
  kind: string;
  names: { full: string; quality: string; script?: string }[];
  datesOfBirth: string[];
  nationalities: string[];
  sex?: 'F' | 'M';
}

class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    // mulberry32
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

const TURKIC_SLAVIC = new Set(['RUS', 'KAZ', 'KGZ', 'UZB', 'TJK', 'TKM', 'AZE', 'GEO', 'UKR']);
const REGION = new Set([...TURKIC_SLAVIC, 'AFG', 'PAK', 'IRQ', 'SYR', 'YEM', 'SAU', 'DZA', 'LBY', 'TUN', 'MAR', 'EGY', 'JOR', 'KWT', 'IRN', 'LBN', 'QAT', 'BHR', 'ARE', 'OMN', 'SOM', 'SDN', 'TUR', 'IND', 'BGD']);

export const CATEGORIES = [
  'icao-9303', 'gost-7.79', 'bgn-pcgn', 'german', 'french', 'russian-cyrillic', 'tajik-cyrillic', 'tajik-passport', 'tajik-bgn',
  'uzbek-latin', 'kazakh-latin', 'arabic-variant', 'article', 'suffix-joined', 'suffix-separate', 'suffix-change', 'join-split',
  'swap', 'missing-part', 'typo', 'dob-digit', 'dob-swap', 'dob-year-only',
] as const;
const FULL_DATE_ONLY = new Set(['dob-swap']);
const PER_PERSON = 5;
const APOSTROPHES = ['ʻ', 'ʼ', "'", '’', '‘', '`', ''];

function words(full: string): string[] {
  return full.toLowerCase().replace(/[-,.]/g, ' ').split(/\s+/).filter((w) => w.length > 0);
}

function query(parts: readonly string[], base: EvalQuery, cap: (w: string) => string = capitalise): EvalQuery {
  const family = parts[parts.length - 1]!;
  return { ...base, familyName: cap(family), givenNames: parts.slice(0, -1).map(cap).join(' ') };
}

function birthDate(rng: Rng, listed: readonly string[]): { dob: string; full: boolean } {
  const full = listed.find((d) => d.length === 10 && !d.includes('..'));
  if (full !== undefined) return { dob: full, full: true };
  const year = listed.length > 0 ? Number(listed[0]!.slice(0, 4)) : rng.int(1960, 1990);
  return { dob: `${year}-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`, full: false };
}

/** One digit of `YYYY-MM-DD` changed (a clerk's slip), the result still a valid date. */
function oneDigit(rng: Rng, dob: string, yearOnly: boolean): string {
  for (;;) {
    const at = rng.pick(yearOnly ? [2, 3] : [2, 3, 5, 6, 8, 9, 2, 3]);
    const d = String((Number(dob[at]) + rng.int(1, 9)) % 10);
    const out = dob.slice(0, at) + d + dob.slice(at + 1);
    const [y, m, day] = out.split('-').map(Number) as [number, number, number];
    if (out !== dob && m >= 1 && m <= 12 && day >= 1 && day <= 28 && y >= 1930 && y <= 2010) return out;
  }
}

const ARABIC_RESPELL: [RegExp, string[]][] = [
  [/^(mohammed|muhammad|mohamed|mohammad|muhammed|mohamad)$/, ['mohammed', 'muhammad', 'mohamed', 'mohammad', 'muhammed', 'mohamad', 'mukhammad', 'magomed']],
  [/^abdul$/, ['abd al', 'abdel', 'abdoul', 'abdu']],
  [/^(husse?in|husa[iy]n|hussain)$/, ['hussein', 'husayn', 'hussain', 'husein', 'gusein']],
  [/ou/, ['u']], [/oo/, ['u']], [/u/, ['ou', 'oo']], [/ee/, ['i']], [/i(?=[^aeiou])/, ['ee']], [/q/, ['k', 'gh']],
  [/dh/, ['z', 'd']], [/ei/, ['ay', 'ai']], [/ay/, ['ei', 'ai']], [/ah$/, ['a']], [/a$/, ['ah']], [/y$/, ['i']], [/i$/, ['y', 'ee']],
  [/w/, ['v']], [/aa/, ['a']], [/uddin$/, ['eddine', 'uddeen']], [/ullah$/, ['ulla', 'allah', 'ollah']], [/e(?=[^aeiou])/, ['a']], [/o(?=[^aeiou])/, ['u']],
];

function arabicVariant(rng: Rng, parts: string[]): string[] {
  const out = [...parts];
  let changes = 0;
  for (let tries = 0; tries < 40 && changes < 2; tries++) {
    const i = rng.int(0, out.length - 1);
    const [re, tos] = rng.pick(ARABIC_RESPELL);
    if (!re.test(out[i]!)) continue;
    const next = out[i]!.replace(re, rng.pick(tos));
    if (next === out[i]) continue;
    out[i] = next;
    changes++;
  }
  return out.join(' ').split(' ');
}

const SUN = /^[tdrzsnl]/;
function article(rng: Rng, parts: string[]): string[] | undefined {
  const at = parts.findIndex((p) => p === 'al' || p === 'el' || p.startsWith('al-'));
  if (at >= 0 && at + 1 < parts.length) {
    const next = parts[at + 1]!;
    const forms = ['', `al-${next}`, `el-${next}`, `al${next}`, SUN.test(next) ? `a${next[0]}-${next}` : `ul-${next}`];
    const f = rng.pick(forms);
    return [...parts.slice(0, at), ...(f === '' ? [next] : [f]), ...parts.slice(at + 2)];
  }
  const i = parts.length - 1;
  const p = parts[i]!;
  if (p.length < 4) return undefined;
  const art = SUN.test(p) ? rng.pick([`a${p[0]}-`, 'al-', 'el-']) : rng.pick(['al-', 'el-', 'al ']);
  return [...parts.slice(0, i), ...`${art}${p}`.split(' ')];
}

function typo(rng: Rng, parts: string[]): string[] {
  const out = [...parts];
  const long = out.map((p, i) => [p, i] as const).filter(([p]) => p.length >= 5);
  if (long.length === 0) return out;
  const [p, i] = rng.pick(long);
  const at = rng.int(1, p.length - 2);
  const kind = rng.int(0, 3);
  const letters = 'abdeghiklmnorstuyz';
  out[i] =
    kind === 0 ? p.slice(0, at) + rng.pick([...letters]) + p.slice(at + 1)
    : kind === 1 ? p.slice(0, at) + p.slice(at + 1)
    : kind === 2 ? p.slice(0, at) + p[at] + p.slice(at)
    : p.slice(0, at) + p[at + 1] + p[at] + p.slice(at + 2);
  return out;
}

function variant(rng: Rng, category: string, person: Listed, latin: string, dob: { dob: string; full: boolean }): EvalQuery | undefined {
  const parts = words(latin);
  const arabic = !person.nationalities.some((n) => TURKIC_SLAVIC.has(n));
  const base: EvalQuery = { familyName: '', givenNames: '', dateOfBirth: dob.dob, ...(person.sex === undefined ? { sex: 'M' as const } : { sex: person.sex }), ...(person.nationalities[0] === undefined ? {} : { nationality: person.nationalities[0] }) };
  const cyr = parts.map((p) => toRussianCyrillic(p, arabic));
  const plain = (f: (c: string) => string) => query(cyr.map(f), base);
  switch (category) {
    case 'icao-9303': return plain(ROMANISE.icao);
    case 'gost-7.79': return plain(ROMANISE.gost);
    case 'bgn-pcgn': return plain(ROMANISE.bgnPcgn);
    case 'german': return plain(ROMANISE.german);
    case 'french': return plain(ROMANISE.french);
    case 'russian-cyrillic': return query(cyr, base);
    case 'tajik-cyrillic': return query(parts.map(toTajikCyrillic), base);
    case 'tajik-passport': {
      const pick = (a: string, b: string) => (rng.chance(0.7) ? a : b);
      return query(parts.map((p) => ROMANISE.tajikPassport(toTajikCyrillic(p), pick).toUpperCase()), base, (w) => w);
    }
    case 'tajik-bgn': return query(parts.map((p) => ROMANISE.tajikBgn(toTajikCyrillic(p))), base);
    case 'uzbek-latin': {
      const ap = rng.pick(APOSTROPHES);
      return query(parts.map((p) => ROMANISE.uzbekLatin(toUzbekCyrillic(p), ap)), base);
    }
    case 'kazakh-latin': return query(parts.map((p) => ROMANISE.kazakhLatin(toKazakhCyrillic(p, arabic))), base, (w) => capitalise(w, true));
    case 'arabic-variant': return query(arabicVariant(rng, parts), base);
    case 'article': {
      const a = article(rng, parts);
      return a === undefined ? undefined : query(a, base);
    }
    case 'suffix-joined':
    case 'suffix-separate': {
      const stem = parts[parts.length - 1]!.replace(/(ov|ev)a?$/, '');
      const suffix = rng.pick(['zoda', 'zoda', 'zade', 'zod']);
      const fam = category === 'suffix-joined' ? [stem + suffix] : [stem, suffix];
      return { ...base, familyName: fam.map((w) => capitalise(w)).join(' '), givenNames: parts.slice(0, -1).map((w) => capitalise(w)).join(' ') };
    }
    case 'suffix-change': {
      const fam = parts[parts.length - 1]!;
      const next = /(ov|ev)$/.test(fam) ? rng.pick([fam.slice(0, -2), `${fam.slice(0, -2)}i`, `${fam.slice(0, -2)}zoda`])
        : /i$/.test(fam) ? rng.pick([fam.slice(0, -1), `${fam}y`, `${fam.slice(0, -1)}ov`, `${fam}yev`])
        : rng.pick([`${fam}ov`, `${fam}i`, `${fam}iy`, /[aeiou]$/.test(fam) ? `${fam}yev` : `${fam}ev`]);
      return query([...parts.slice(0, -1), next], base);
    }
    case 'join-split': {
      const compound = parts.findIndex((p, i) => i + 1 < parts.length && /^(abd|abdul|abu|abdel|abdur|nur|noor|ghulam|mohammad|muhammad)$/.test(p));
      if (compound >= 0) return query([...parts.slice(0, compound), parts[compound]! + parts[compound + 1]!, ...parts.slice(compound + 2)], base);
      const splittable = parts.findIndex((p) => /^(abdul|abdel|abu|nur|noor)\w{3,}$|\w{3,}(ullah|uddin|zada|zoda|zai)$/.test(p));
      if (splittable < 0) return undefined;
      const p = parts[splittable]!;
      const m = /^(abdul|abdel|abu|nur|noor)(\w+)$/.exec(p) ?? /^(\w+?)(ullah|uddin|zada|zoda|zai)$/.exec(p);
      return query([...parts.slice(0, splittable), m![1]!, m![2]!, ...parts.slice(splittable + 1)], base);
    }
    case 'swap': return { ...base, familyName: capitalise(parts[0]!), givenNames: parts.slice(1).map((w) => capitalise(w)).join(' ') };
    case 'missing-part': {
      if (parts.length < 3) return undefined;
      const drop = rng.int(1, parts.length - 2);
      return query(parts.filter((_, i) => i !== drop), base);
    }
    case 'typo': return query(typo(rng, parts), base);
    case 'dob-digit': return query(parts, { ...base, dateOfBirth: oneDigit(rng, dob.dob, !dob.full) });
    case 'dob-swap': {
      const [y, m, d] = dob.dob.split('-') as [string, string, string];
      return dob.full && m !== d && Number(d) <= 12 ? query(parts, { ...base, dateOfBirth: `${y}-${d}-${m}` }) : undefined;
    }
    case 'dob-year-only': return query(parts, { ...base, dateOfBirth: rng.chance(0.5) ? dob.dob.slice(0, 4) : `${dob.dob.slice(0, 4)}-01-01` });
  }
  return undefined;
}

function farDate(rng: Rng, listed: readonly string[]): string {
  // A namesake born far from every listed date, differing from each in more than one digit.
  for (;;) {
    const d = `${rng.int(1950, 2006)}-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`;
    const ok = listed.every((l) => {
      const y = Number(l.slice(0, 4));
      if (Math.abs(Number(d.slice(0, 4)) - y) <= 8) return false;
      let diff = 0;
      for (let i = 0; i < 4; i++) if (l[i] !== d[i]) diff++;
      return diff >= 2;
    });
    if (ok) return d;
  }
}

function traveller(rng: Rng, country: string): EvalQuery {
  const pool = POOLS[country]!;
  const sex = rng.chance(0.5) ? 'M' : 'F';
  let family = rng.pick(pool.family);
  const cyr = /[\u0400-\u04ff]/.test(family);
  if (!cyr && !/(ov|ev|ow|ew|yev|zai|i)$/.test(family)) family += rng.pick(pool.suffixes);
  if (pool.gendered && sex === 'F') family = family.replace(/(ov|ev|ow|ew|in)$/, '$1a').replace(/(ов|ев)$/, '$1а');
  let given = rng.pick(sex === 'M' ? pool.male : pool.female);
  if (pool.patronymic === 'russian' && rng.chance(0.4)) given += ` ${rng.pick(['Ivan', 'Sergey', 'Petr', 'Nikolay', 'Aleksandr'])}ov${sex === 'M' ? 'ich' : 'na'}`;
  if (pool.patronymic === 'turkic' && rng.chance(0.3)) given += ` ${rng.pick(pool.male)}${sex === 'M' ? 'uly' : 'kyzy'}`;
  const year = rng.int(1950, 2008);
  return { familyName: family, givenNames: given, dateOfBirth: `${year}-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`, sex, nationality: country };
}

export function makeEvalSet(listed: readonly Listed[], seed = 19): EvalItem[] {
  const rng = new Rng(seed);
  const people = listed
    .filter((e) => e.kind === 'individual' && (e.nationalities.length === 0 || e.nationalities.some((n) => REGION.has(n))))
    .filter((e) => /^[A-Za-z' -]+$/.test(e.names[0]!.full) && words(e.names[0]!.full).length >= 2 && words(e.names[0]!.full).length <= 5)
    .sort((a, b) => (a.id < b.id ? -1 : 1));
  const items: EvalItem[] = [];
  let rotation = 0;
  // Categories a person could not take (a day/month swap needs a full listed date) go to the next ones first.
  const pending: string[] = [];
  // 150 people spread over the whole list, not its first entries (the list is ordered by regime).
  const stride = people.length / 150;
  const chosen = Array.from({ length: Math.min(150, people.length) }, (_, k) => people[Math.floor(k * stride)]!);
  chosen.forEach((person, i) => {
    const part = i % 5 < 3 ? 'tuning' : 'held-out';
    const dob = birthDate(rng, person.datesOfBirth);
    const latinNames = person.names.filter((n) => n.script === undefined && n.quality !== 'low' && /^[A-Za-z' -]+$/.test(n.full));
    let made = 0;
    const taken = new Set<string>();
    for (let tries = 0; made < PER_PERSON && tries < PER_PERSON * 4; tries++) {
      const retry = pending.findIndex((c) => !taken.has(c) && (dob.full || !FULL_DATE_ONLY.has(c)));
      const category = retry >= 0 ? pending.splice(retry, 1)[0]! : CATEGORIES[rotation++ % CATEGORIES.length]!;
      if (taken.has(category) || (FULL_DATE_ONLY.has(category) && !dob.full)) {
        pending.push(category);
        continue;
      }
      taken.add(category);
      const from = rng.pick(latinNames.length > 0 ? latinNames : [person.names[0]!]).full;
      const q = variant(rng, category, person, from, dob);
      if (q === undefined || q.familyName === '') {
        if (category !== 'missing-part' && category !== 'join-split' && category !== 'article') pending.push(category);
        continue;
      }
      items.push({ id: `v${items.length + 1}`, part, kind: 'variant', category, target: person.id, from, query: q });
      made++;
    }
  });
  // Ordinary travellers: people of the region, and namesakes of listed people.
  const countries = Object.keys(POOLS);
  let n = 0;
  const add = (category: string, q: EvalQuery): void => {
    items.push({ id: `t${++n}`, part: n % 5 < 3 ? 'tuning' : 'held-out', kind: 'traveller', category, query: q });
  };
  for (let k = 0; k < 480; k++) {
    const c = countries[k % countries.length]!;
    add(`traveller-${c}`, traveller(rng, c));
  }
  for (let k = 0; k < 180; k++) {
    const person = chosen[k % chosen.length]!;
    const parts = words(person.names[0]!.full);
    const region = traveller(rng, rng.pick(['AFG', 'PAK', 'TJK', 'UZB', 'KAZ', 'RUS']));
    const far = farDate(rng, person.datesOfBirth.length > 0 ? person.datesOfBirth : ['1970']);
    const nationality = region.nationality!;
    if (k % 3 === 0) {
      // Same family name, other given names.
      add('namesake-family', { familyName: capitalise(parts[parts.length - 1]!), givenNames: region.givenNames, dateOfBirth: far, sex: 'M', nationality });
    } else if (k % 3 === 1) {
      // Same given names, another family name.
      add('namesake-given', { familyName: region.familyName, givenNames: parts.slice(0, -1).map((w) => capitalise(w)).join(' '), dateOfBirth: far, sex: 'M', nationality });
    } else {
      // The whole name, a different person (born decades apart).
      add('namesake-full-name', { familyName: capitalise(parts[parts.length - 1]!), givenNames: parts.slice(0, -1).map((w) => capitalise(w)).join(' '), dateOfBirth: far, sex: 'M', nationality });
    }
  }
  return items;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const list = JSON.parse(readFileSync(path.join(ROOT, 'rules', 'watchlists', 'un-sc.json'), 'utf8')) as { entries: Listed[] };
  const items = makeEvalSet(list.entries);
  const out = { description: 'Watchlist evaluation set: variants of UN-listed individuals and ordinary travellers of the region (bench/data/watchlist-eval/make-eval-set.ts).', seed: 19, items };
  writeFileSync(path.join(HERE, 'eval-set.json'), `${JSON.stringify(out, null, 0).replace(/\{"id"/g, '\n{"id"')}\n`);
  const count = (f: (i: EvalItem) => boolean) => items.filter(f).length;
  console.log(`${count((i) => i.kind === 'variant')} variants (${count((i) => i.kind === 'variant' && i.part === 'held-out')} held out), ${count((i) => i.kind === 'traveller')} travellers`);
}
