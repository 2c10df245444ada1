import type { Cargo } from '../model/cargo.ts';
import type { Crossing } from '../model/crossing.ts';
import { td3 } from './mrz.ts';
import type { ListedPerson } from './listed-people.ts';
import type { Random } from './random.ts';

/** What the generator writes beside the traffic for every planted case. */
export interface PlantedLabel {
  eventId: string;
  eventTime: string;
  post: string;
  case: PlantedCaseName;
  /** Indicators that must appear in the alert this event raises. */
  indicators: string[];
}

export interface PlantContext {
  rng: Random;
  stolenDocuments: readonly { issuingState: string; number: string }[];
  listedPeople: readonly ListedPerson[];
}

/** A later crossing of the same document, for cases that stateful indicators must catch. */
export interface FollowUp {
  afterMinutes: number;
  /** Posts to pick from; `same` repeats the first event's post. */
  posts: readonly string[] | 'same';
  direction: 'entry' | 'exit';
}

interface CrossingCase {
  kind: 'crossing';
  indicators: string[];
  /** Posts the case can happen at (air cases need an airport). */
  posts?: readonly string[];
  /** Later crossings of the same document; the label goes with the last of them. */
  then?: readonly FollowUp[];
  /** Extra crossings of other travellers at the same post within a few minutes; the label goes with the last. */
  surge?: { count: number; minutes: number };
  /** Not drawn unless asked for by name (`cases`): too rare to belong in ordinary traffic. */
  optIn?: boolean;
  apply(event: Crossing, ctx: PlantContext): void;
}

interface CargoCase {
  kind: 'cargo';
  indicators: string[];
  posts?: readonly string[];
  direction?: 'entry' | 'exit';
  apply(event: Cargo, ctx: PlantContext): void;
}

const AIRPORTS = ['KZ-ALA', 'UZ-TAS'] as const;
const SHUTTLE_POSTS = ['KZ-KORDAY', 'KZ-NURZHOLY', 'KZ-ZHIBEKZHOLY', 'KZ-KHORGOS'] as const;
const CONFLICT_HUBS = ['KBL', 'MZR', 'HEA', 'GZT', 'HTY', 'EBL'] as const;

/** Rebuilds the MRZ from the document fields, as a genuine document would have it. */
function remakeMrz(event: Crossing, number = event.document.number): [string, string] {
  const { traveller: t, document: d } = event;
  return td3({ issuingState: d.issuingState, familyName: t.familyName, givenNames: t.givenNames, number, nationality: t.nationality, dateOfBirth: t.dateOfBirth, sex: t.sex, expiry: d.expiry });
}

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * Planted cases: each turns an ordinary generated event into one that should trip
 * the named indicators of the default rule pack, and nothing about it is random
 * enough to miss them.
 */
export const PLANTED_CASES = {
  'expired-document': {
    kind: 'crossing',
    indicators: ['crossing.document-expired'],
    apply(event, { rng }) {
      const day = Date.parse(`${event.eventTime.slice(0, 10)}T00:00:00Z`);
      event.document.expiry = isoDay(day - rng.int(3, 400) * 86_400_000);
      if (event.document.mrz) event.document.mrz = remakeMrz(event);
    },
  },
  'mrz-check-digit': {
    kind: 'crossing',
    indicators: ['crossing.mrz-check-digit'],
    apply(event) {
      event.document.type = 'passport';
      const [line1, line2] = remakeMrz(event);
      // Change the document-number check digit, as a careless forger would leave it.
      const wrong = String((Number(line2[9]) + 1) % 10);
      event.document.mrz = [line1, `${line2.slice(0, 9)}${wrong}${line2.slice(10)}`];
    },
  },
  'mrz-substituted-page': {
    kind: 'crossing',
    indicators: ['crossing.mrz-data-mismatch'],
    apply(event, { rng }) {
      event.document.type = 'passport';
      const other = event.document.number.replace(/\d{3}$/, rng.digits(3));
      event.document.mrz = remakeMrz(event, other === event.document.number ? `${other.slice(0, -1)}X` : other);
    },
  },
  'stolen-document': {
    kind: 'crossing',
    indicators: ['crossing.document-stolen-lost'],
    apply(event, { rng, stolenDocuments }) {
      const doc = rng.pick(stolenDocuments);
      event.document.issuingState = doc.issuingState;
      event.document.number = doc.number;
      event.traveller.nationality = doc.issuingState;
      if (event.document.mrz) event.document.mrz = remakeMrz(event);
    },
  },
  'one-way-cash-same-day': {
    kind: 'crossing',
    indicators: ['crossing.one-way-cash-same-day'],
    posts: AIRPORTS,
    apply(event) {
      const itinerary = event.itinerary;
      if (!itinerary) throw new Error('air crossing without itinerary');
      itinerary.oneWay = true;
      itinerary.paymentForm = 'cash';
      itinerary.bookingDate = event.eventTime.slice(0, 10);
    },
  },
  'conflict-routing-no-bags': {
    kind: 'crossing',
    indicators: ['crossing.conflict-zone-routing', 'crossing.no-bags-connecting-trip'],
    posts: AIRPORTS,
    apply(event, { rng }) {
      const itinerary = event.itinerary;
      if (!itinerary) throw new Error('air crossing without itinerary');
      itinerary.routing = [rng.pick(CONFLICT_HUBS)];
      itinerary.bagCount = 0;
      itinerary.bagWeightKg = 0;
    },
  },
  'unknown-hs-code': {
    kind: 'cargo',
    indicators: ['cargo.unknown-hs-code'],
    apply(event, { rng }) {
      // Chapter 77 is reserved in the HS and has no codes.
      event.items[0]!.hsCode = `77${rng.digits(4)}`;
    },
  },
  'undervalued-vague': {
    kind: 'cargo',
    indicators: ['cargo.low-value-per-kg', 'cargo.vague-description'],
    apply(event, { rng }) {
      const item = event.items[0]!;
      item.description = rng.pick(['PARTS', 'Goods', 'samples', 'General cargo']);
      item.value.amount = Math.round(item.value.amount * (0.03 + rng.next() * 0.05) * 100) / 100;
    },
  },
  'net-exceeds-gross': {
    kind: 'cargo',
    indicators: ['cargo.net-exceeds-gross'],
    apply(event) {
      const item = event.items[0]!;
      item.netKg = Math.round(item.grossKg * 1.25 * 10) / 10;
    },
  },
  'precursor-to-afghanistan': {
    kind: 'cargo',
    indicators: ['cargo.precursor-risk-route'],
    posts: ['UZ-AYRITOM', 'TJ-PANJIPOYON', 'TM-IMAMNAZAR'],
    direction: 'exit',
    apply(event, { rng }) {
      const item = event.items[0]!;
      const drums = rng.int(20, 80);
      item.hsCode = '291524';
      item.description = 'Acetic anhydride';
      item.packages = drums;
      item.grossKg = drums * 200;
      item.netKg = drums * 190;
      item.value = { amount: Math.round(drums * 200 * 1.2), currency: 'USD' };
      event.countries.destination = 'AFG';
    },
  },
  'unsealed-heavy-container': {
    kind: 'cargo',
    indicators: ['cargo.container-without-seals', 'cargo.weight-per-package-off'],
    apply(event, { rng }) {
      if (event.containerIds.length === 0) event.containerIds = [`${rng.pick(['MSKU', 'CSQU', 'TGHU'])}${rng.digits(7)}`];
      event.seals = [];
      const item = event.items[0]!;
      item.grossKg = Math.round(item.grossKg * 6 * 10) / 10;
      item.netKg = Math.round(item.grossKg * 0.93 * 10) / 10;
    },
  },
  'shuttle-entries': {
    kind: 'crossing',
    indicators: ['crossing.repeated-entries-several-posts'],
    posts: SHUTTLE_POSTS,
    then: [
      { afterMinutes: 150, posts: SHUTTLE_POSTS, direction: 'entry' },
      { afterMinutes: 300, posts: 'same', direction: 'entry' },
    ],
    apply(event) {
      event.direction = 'entry';
    },
  },
  'crossing-surge': {
    kind: 'crossing',
    indicators: ['crossing.volume-anomaly'],
    posts: ['KZ-KORDAY', 'KG-AKZHOL', 'UZ-OYBEK'],
    surge: { count: 150, minutes: 12 },
    optIn: true,
    apply() {},
  },
  'watchlist-name': {
    kind: 'crossing',
    indicators: ['crossing.watchlist-name-match'],
    optIn: true,
    apply(event, { rng, listedPeople }) {
      // A listed individual on their own passport: names as the list gives them, the listed
      // date of birth and nationality, the MRZ made to match.
      const person = rng.pick(listedPeople);
      const nationality = person.nationality ?? event.traveller.nationality;
      event.traveller = { ...event.traveller, familyName: person.familyName, givenNames: person.givenNames, dateOfBirth: person.dateOfBirth, nationality, ...(person.sex && { sex: person.sex }) };
      event.document.issuingState = nationality;
      if (event.document.mrz) event.document.mrz = remakeMrz(event);
    },
  },
  'afghan-transit': {
    kind: 'crossing',
    indicators: ['crossing.afghan-exit-then-entry-elsewhere'],
    posts: ['UZ-AYRITOM'],
    then: [{ afterMinutes: 360, posts: ['TJ-PANJIPOYON', 'TM-IMAMNAZAR'], direction: 'entry' }],
    apply(event) {
      event.direction = 'exit';
      event.mode = 'road';
      delete event.itinerary;
    },
  },
} as const satisfies Record<string, CrossingCase | CargoCase>;

export type PlantedCaseName = keyof typeof PLANTED_CASES;
export const PLANTED_CASE_NAMES = Object.keys(PLANTED_CASES) as PlantedCaseName[];
/** The cases ordinary traffic draws from: all but the opt-in ones. */
export const DEFAULT_CASE_NAMES = PLANTED_CASE_NAMES.filter((name) => !('optIn' in PLANTED_CASES[name]));
