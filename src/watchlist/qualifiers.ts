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
    if (v > best) best = v;
  }
  return best;
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
