import type { WatchlistEntry } from './entry.ts';

/** One qualifier's effect on a match score, for the explanation. */
export interface QualifierEffect {
  qualifier: 'dateOfBirth' | 'sex' | 'nationality' | 'aliasQuality' | 'missingParts';
  /** Added to the name score (negative lowers it). */
  effect: number;
  detail: string;
}

export interface QualifierOptions {
  /**
   * A date of birth this many years or fewer from a listed one neither raises nor lowers
   * the score (GTAS uses ±3); further away lowers it by `dobMismatch`.
   * @default 3
   */
  dobToleranceYears: number;
  /** @default 0.06 */
  dobExact: number;
  /** Same year (or month) as a listed date, or inside a listed range. @default 0.03 */
  dobSameYear: number;
  /** @default 0.2 */
  dobMismatch: number;
  /**
   * A date one clerk's slip away from a listed one (one digit wrong anywhere, the decade
   * included; day and month swapped) is the listed date mistyped, not another person's: it
   * costs what a typo in a name does (this against `dobExact`), not `dobMismatch`.
   * @default 0
   */
  dobNearMiss: number;
  /**
   * The same slip against a listed year (or month) only. A full date one digit off is rare
   * among strangers (about 70 dates in 36,000), so it is still evidence of the listed person;
   * a year one digit off is one of a fifth of all plausible years (1951–1959, 1918–1998 by
   * tens), so it is weaker evidence and costs what a typo in a name does. @default -0.06
   */
  dobYearSlip: number;
  /** @default 0.1 */
  sexMismatch: number;
  /** @default 0.02 */
  nationalityMatch: number;
  /** @default 0.03 */
  nationalityMismatch: number;
  /** A UN low-quality alias is too vague to identify someone alone. @default 0.06 */
  lowQualityAlias: number;
}

export const DEFAULT_QUALIFIERS: QualifierOptions = {
  dobToleranceYears: 3,
  dobExact: 0.06,
  dobSameYear: 0.03,
  dobMismatch: 0.2,
  dobNearMiss: 0,
  dobYearSlip: -0.06,
  sexMismatch: 0.1,
  nationalityMatch: 0.02,
  nationalityMismatch: 0.03,
  lowQualityAlias: 0.06,
};

/** The date-of-birth effect: the best over the listed dates. */
export function dateOfBirthEffect(listed: readonly string[], dob: string, o: QualifierOptions): QualifierEffect | undefined {
  if (listed.length === 0 || !/^\d{4}/.test(dob)) return undefined;
  const year = Number(dob.slice(0, 4));
  let best: QualifierEffect | undefined;
  for (const d of listed) {
    const e = oneDate(d, dob, year, o);
    if (best === undefined || e.effect > best.effect) best = e;
  }
  return best;
}

function oneDate(listed: string, dob: string, year: number, o: QualifierOptions): QualifierEffect {
  const e = oneDateByYear(listed, dob, year, o);
  const slip = dateSlip(listed, dob);
  if (slip === undefined) return e;
  const floor = slipFloor(listed, o);
  if (e.effect < floor) return { qualifier: 'dateOfBirth', effect: floor, detail: `${dob} ~ listed ${listed} (${slip})` };
  return { ...e, detail: `${e.detail} (${slip})` };
}

function oneDateByYear(listed: string, dob: string, year: number, o: QualifierOptions): QualifierEffect {
  let from: number;
  let to: number;
  if (listed.includes('..')) {
    from = Number(listed.slice(0, 4));
    to = Number(listed.slice(6, 10));
  } else {
    if (listed.length === 10 && listed === dob.slice(0, 10)) return { qualifier: 'dateOfBirth', effect: o.dobExact, detail: `exact: listed ${listed}` };
    if (listed.length === 7 && listed === dob.slice(0, 7)) return { qualifier: 'dateOfBirth', effect: o.dobSameYear, detail: `same month: listed ${listed}` };
    from = to = Number(listed.slice(0, 4));
  }
  if (year >= from && year <= to) return { qualifier: 'dateOfBirth', effect: o.dobSameYear, detail: `${from === to ? 'same year' : 'inside range'}: listed ${listed}` };
  const off = year < from ? from - year : year - to;
  if (off <= o.dobToleranceYears) return { qualifier: 'dateOfBirth', effect: 0, detail: `${off} year${off === 1 ? '' : 's'} from listed ${listed} (within ±${o.dobToleranceYears})` };
  return { qualifier: 'dateOfBirth', effect: -o.dobMismatch, detail: `${off} years from listed ${listed} (beyond ±${o.dobToleranceYears})` };
}

export function sexEffect(entry: WatchlistEntry, sex: string | undefined, o: QualifierOptions): QualifierEffect | undefined {
  if (entry.sex === undefined || (sex !== 'F' && sex !== 'M') || sex === entry.sex) return undefined;
  return { qualifier: 'sex', effect: -o.sexMismatch, detail: `listed ${entry.sex}, traveller ${sex}` };
}

export function nationalityEffect(entry: WatchlistEntry, nationality: string | undefined, o: QualifierOptions): QualifierEffect | undefined {
  if (entry.nationalities.length === 0 || nationality === undefined) return undefined;
  if (entry.nationalities.includes(nationality)) return { qualifier: 'nationality', effect: o.nationalityMatch, detail: `${nationality} is listed` };
  return { qualifier: 'nationality', effect: -o.nationalityMismatch, detail: `${nationality} not among listed ${entry.nationalities.join(', ')}` };
}

/**
 * The numeric effect of the date of birth alone, without building its explanation: the hot
 * path scores every candidate with this and explains only the matches. Same rules as
 * `dateOfBirthEffect`.
 */
export function dateOfBirthValue(listed: readonly string[], dob: string, o: QualifierOptions): number {
  if (listed.length === 0 || dob.length < 4) return 0;
  const year = yearOf(dob, 0);
  let best = -Infinity;
  for (let k = 0; k < listed.length; k++) {
    const d = listed[k]!;
    let v: number;
    let from: number;
    let to: number;
    if (d.length === 10 && d === dob) v = o.dobExact;
    else if (d.length === 7 && dob.startsWith(d)) v = o.dobSameYear;
    else {
      from = yearOf(d, 0);
      to = d.length === 10 && d.charCodeAt(4) === 46 ? yearOf(d, 6) : from;
      if (year >= from && year <= to) v = o.dobSameYear;
      else v = (year < from ? from - year : year - to) <= o.dobToleranceYears ? 0 : -o.dobMismatch;
    }
    const floor = slipFloor(d, o);
    if (v < floor && dateSlip(d, dob) !== undefined) v = floor;
    if (v > best) best = v;
  }
  return best;
}

/** The least a slip from this listed date costs: a full date's near miss, or a year's. */
function slipFloor(listed: string, o: QualifierOptions): number {
  return listed.length === 10 ? o.dobNearMiss : o.dobYearSlip;
}

/**
 * How a date of birth is one slip from a listed date, if it is: `YYYY-MM-DD`, `YYYY-MM` or
 * `YYYY` against the same or a coarser form (a year-only date compares years). Ranges never are.
 */
export function dateSlip(listed: string, dob: string): 'one digit differs' | 'day/month swapped' | undefined {
  // A range already says the year is uncertain: a year outside it is not a slip of one.
  if (listed === dob || listed.includes('..')) return undefined;
  const n = Math.min(listed.length, dob.length);
  if (n !== 4 && n !== 7 && n !== 10) return undefined;
  let differ = 0;
  for (let i = 0; i < n; i++) {
    const a = listed.charCodeAt(i);
    const b = dob.charCodeAt(i);
    if (a < 48 || a > 57 || b < 48 || b > 57) {
      if (a !== b) return undefined;
    } else if (a !== b) differ++;
  }
  if (differ === 1) return 'one digit differs';
  if (n === 10 && listed.slice(0, 4) === dob.slice(0, 4) && listed.slice(5, 7) === dob.slice(8, 10) && listed.slice(8, 10) === dob.slice(5, 7)) return 'day/month swapped';
  return undefined;
}

/** Whether two four-digit years differ in exactly one digit (1961 and 1971, 1961 and 1968). */
export function yearSlip(a: number, b: number): boolean {
  let differ = 0;
  for (let x = a, y = b, k = 0; k < 4; k++, x = Math.floor(x / 10), y = Math.floor(y / 10)) if (x % 10 !== y % 10) differ++;
  return differ === 1;
}

export function sexValue(entry: WatchlistEntry, sex: string | undefined, o: QualifierOptions): number {
  return entry.sex === undefined || (sex !== 'F' && sex !== 'M') || sex === entry.sex ? 0 : -o.sexMismatch;
}

export function nationalityValue(entry: WatchlistEntry, nationality: string | undefined, o: QualifierOptions): number {
  if (entry.nationalities.length === 0 || nationality === undefined) return 0;
  return entry.nationalities.includes(nationality) ? o.nationalityMatch : -o.nationalityMismatch;
}

function yearOf(s: string, at: number): number {
  return (s.charCodeAt(at) - 48) * 1000 + (s.charCodeAt(at + 1) - 48) * 100 + (s.charCodeAt(at + 2) - 48) * 10 + (s.charCodeAt(at + 3) - 48);
}
