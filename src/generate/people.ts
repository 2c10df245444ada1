import type { Crossing, CrossingMode, Traveller, TravelDocument } from '../model/crossing.ts';
import { td3 } from './mrz.ts';
import type { Random } from './random.ts';
import { NAMES, type PostProfile } from './region.ts';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

export function offsetMs(offset: string): number {
  return (offset.startsWith('-') ? -1 : 1) * (Number(offset.slice(1, 3)) * HOUR_MS + Number(offset.slice(4, 6)) * MINUTE_MS);
}

/** `2026-11-02T14:03:27.120+05:00`: event time as the post's clock shows it. */
export function localTime(t: number, offset: string): string {
  return `${new Date(t + offsetMs(offset)).toISOString().slice(0, 23)}${offset}`;
}

/** The local date (`YYYY-MM-DD`) at a post's offset. */
export function localDate(t: number, offset: string): string {
  return isoDate(t + offsetMs(offset));
}

export function addDays(date: string, days: number): string {
  return isoDate(Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)) + days));
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** `YYYY-MM-DD` of a UTC time: dates are made for every person, and toISOString was a hot spot. */
function isoDate(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
}

/** A traveller with the document they always carry: persistent people cross with the same one every time. */
export interface Person {
  traveller: Traveller;
  document: TravelDocument;
}

export interface PersonOptions {
  /** Land posts see identity cards of the countries that accept them. @default false */
  land?: boolean;
  minAge?: number;
  maxAge?: number;
  sex?: 'F' | 'M';
  /** Share of passports with a machine-readable zone in the event (readers miss some). @default 0.75 */
  mrzShare?: number;
  /** A crew member's certificate instead of a passport. */
  crewCertificate?: boolean;
}

const FEMININE: [RegExp, string][] = [[/ov$/, 'ova'], [/ev$/, 'eva'], [/in$/, 'ina'], [/ uulu$/, ' kyzy']];

/** A family name as a person of this sex would carry it (Ivanov, Ivanova). */
export function familyNameFor(nationality: string, familyName: string, sex: 'F' | 'M' | 'X'): string {
  const pool = NAMES[nationality] ?? NAMES.RUS!;
  let name = familyName;
  if (pool.gendered && sex === 'F') for (const [re, to] of FEMININE) name = name.replace(re, to);
  return name;
}

/** Makes people of the region with plausible names, ages and documents, never on the stolen list, each document number issued once. */
export class PersonFactory {
  constructor(
    private readonly rng: Random,
    private readonly stolen: ReadonlySet<string>,
  ) {}

  private readonly issued = new Set<string>();

  person(nationality: string, today: string, options: PersonOptions = {}): Person {
    const { rng } = this;
    const { land = false, minAge, maxAge, mrzShare = 0.75, crewCertificate = false } = options;
    const pool = NAMES[nationality] ?? NAMES.RUS!;
    const sex = options.sex ?? (rng.chance(0.6) ? 'M' : 'F');
    const familyName = familyNameFor(nationality, rng.pick(pool.family), sex);
    const givenNames = rng.pick(sex === 'M' ? pool.male : pool.female);
    const age = minAge !== undefined || maxAge !== undefined ? rng.int(minAge ?? 18, maxAge ?? 70) : rng.chance(0.06) ? rng.int(1, 17) : rng.int(18, 76);
    const dateOfBirth = addDays(`${Number(today.slice(0, 4)) - age - 1}-${today.slice(5, 10)}`, rng.int(1, 364));
    // Refugees and residents travel on documents of another state; most do not.
    const issuingState = !crewCertificate && rng.chance(0.01) ? rng.pick(['XXB', 'RUS', 'KAZ', 'TUR']) : nationality;
    const idCard = !crewCertificate && land && ['KAZ', 'KGZ', 'RUS'].includes(nationality) && rng.chance(0.3);
    let number: string;
    do number = crewCertificate ? `CC${rng.digits(7)}` : idCard ? rng.digits(9) : `${pool.passport[0]}${rng.digits(pool.passport[1])}`;
    // A document number is its holder's alone: never one on the stolen list, never one already issued.
    while (this.stolen.has(`${issuingState}:${number}`) || this.issued.has(`${issuingState}:${number}`));
    this.issued.add(`${issuingState}:${number}`);
    // Valid for the months ahead: a generated week must not see a regular's document expire.
    const expiry = addDays(today, rng.chance(0.01) ? rng.int(20, 60) : rng.int(120, 3650));
    const traveller: Traveller = { familyName, givenNames, dateOfBirth, sex, nationality };
    const document: TravelDocument = { type: crewCertificate ? 'crew-certificate' : idCard ? 'id-card' : 'passport', number, issuingState, expiry };
    if (!idCard && !crewCertificate && rng.chance(mrzShare)) document.mrz = td3({ issuingState, familyName, givenNames, number, nationality, dateOfBirth, sex, expiry });
    return { traveller, document };
  }
}

/** A crossing event of a person at a post (its id is given when it is yielded). */
export function crossingOf(person: Person, post: PostProfile, t: number, direction: 'entry' | 'exit', mode: CrossingMode, extra: Pick<Crossing, 'vehicle' | 'itinerary'> = {}): Crossing {
  const { traveller, document } = person;
  const event: Crossing = {
    schemaVersion: 1,
    kind: 'crossing',
    eventId: '',
    eventTime: localTime(t, post.offset),
    post: post.id,
    direction,
    mode,
    traveller: { ...traveller },
    document: document.mrz ? { ...document, mrz: [...document.mrz] } : { ...document },
  };
  if (extra.vehicle) event.vehicle = { ...extra.vehicle };
  if (extra.itinerary) event.itinerary = { ...extra.itinerary, routing: [...extra.itinerary.routing] };
  return event;
}

const letters = (rng: Random, n: number): string => {
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(65 + rng.int(0, 25));
  return s;
};

/** A registration plate in the country's own format (Latin letters only). */
export function plateOf(rng: Random, country: string): string {
  switch (country) {
    case 'KAZ': return `${rng.digits(3)}${letters(rng, 3)}${rng.pick(['01', '02', '05', '13', '17'])}`;
    case 'KGZ': return `0${rng.int(1, 9)}KG${rng.digits(3)}${letters(rng, 3)}`;
    case 'UZB': return `${rng.pick(['01', '10', '30', '40', '50', '60', '70', '80', '90'])}${letters(rng, 1)}${rng.digits(3)}${letters(rng, 2)}`;
    case 'TJK': return `${rng.digits(4)}${letters(rng, 2)}0${rng.int(1, 8)}`;
    case 'TKM': return `${letters(rng, 2)}${rng.digits(4)}${rng.pick(['AG', 'MR', 'LB', 'DZ', 'BN'])}`;
    case 'RUS': return `${letters(rng, 1)}${rng.digits(3)}${letters(rng, 2)}${rng.pick(['77', '54', '55', '74', '102', '174'])}`;
    case 'CHN': return `XJ${letters(rng, 1)}${rng.digits(5)}`;
    case 'AFG': return `${rng.pick(['KBL', 'BLK', 'HRT', 'KDZ'])}${rng.digits(5)}`;
    case 'AZE': return `${rng.pick(['10', '90', '99'])}${letters(rng, 2)}${rng.digits(3)}`;
    case 'TUR': return `${rng.pick(['34', '06', '35'])}${letters(rng, 3)}${rng.digits(3)}`;
    default: return `${letters(rng, 2)}${rng.digits(4)}`;
  }
}

export function shuffle<T>(rng: Random, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
