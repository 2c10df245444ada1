import type { Cargo } from '../model/cargo.ts';
import type { Crossing } from '../model/crossing.ts';
import { td3 } from './mrz.ts';
import type { HsNorm } from '../enrich/reference.ts';
import type { ListedPerson } from './listed-people.ts';
import type { Random } from './random.ts';
import type { PlantedLabel as RecordedLabel } from '../record/recorded-event.ts';
import { InternalError } from '../errors.ts';

/** What the generator writes beside the traffic for every planted case: a recording's label, with the generator's case names. */
export interface PlantedLabel extends RecordedLabel {
  case: PlantedCaseName;
}

export interface PlantContext {
  rng: Random;
  stolenDocuments: readonly { issuingState: string; number: string }[];
  listedPeople: readonly ListedPerson[];
  /** The HS norms and exchange rates, for cases that set a value against the norm (without them, a margin is kept). */
  hsNorms?: ReadonlyMap<string, HsNorm>;
  usdPerUnit?: ReadonlyMap<string, number>;
}

/**
 * A later event of the same case: the same document (or consignment) at another post,
 * for cases that stateful indicators must catch. Steps come in time order.
 */
export interface FollowUp {
  /** Minutes after the first event, or a range to draw from. */
  afterMinutes: number | readonly [number, number];
  /** Posts to pick from; `same` repeats the first event's post. */
  posts: readonly string[] | 'same';
  direction: 'entry' | 'exit';
  /** Someone else, nobody from an earlier step, in the same vehicle (a changing driver). */
  newPerson?: boolean;
  /** The same document under another family name. */
  newFamilyName?: boolean;
  /** The same container and consignment with other seal numbers. */
  reseal?: boolean;
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
  /** The first event is a car with its driver alone, not someone on foot or on a flight. */
  from?: 'car';
  apply(event: Crossing, ctx: PlantContext): void;
}

interface CargoCase {
  kind: 'cargo';
  indicators: string[];
  posts?: readonly string[];
  direction?: 'entry' | 'exit';
  /** The same consignment declared again, at the facing post. */
  then?: readonly FollowUp[];
  apply(event: Cargo, ctx: PlantContext): void;
}

const AIRPORTS = ['KZ-ALA', 'UZ-TAS'] as const;
const CONFLICT_HUBS = ['KBL', 'MZR', 'HEA', 'GZT', 'HTY', 'EBL'] as const;
const CONTAINER_OWNERS = ['MSKU', 'CSQU', 'TGHU'] as const;

/** Declared value of an item as this share of its HS norm, when the norms are known; else a share of its value, kept under 0.2 of the norm. */
function valueAtShareOfNorm(event: Cargo, share: number, { hsNorms, usdPerUnit }: PlantContext): void {
  const item = event.items[0]!;
  const norm = hsNorms?.get(item.hsCode);
  const rate = usdPerUnit?.get(item.value.currency) ?? (item.value.currency === 'USD' ? 1 : undefined);
  if (norm && rate) item.value.amount = Math.round(((item.grossKg * norm.usdPerKg * share) / rate) * 100) / 100;
  else item.value.amount = Math.round(item.value.amount * share * 0.6 * 100) / 100;
}

function withContainer(event: Cargo, ctx: PlantContext): void {
  if (event.containerIds.length === 0) event.containerIds = [`${ctx.rng.pick(CONTAINER_OWNERS)}${ctx.rng.digits(7)}`];
}

/** Rebuilds the MRZ from the document fields, as a genuine document would have it. */
export function remakeMrz(event: Crossing, number = event.document.number): [string, string] {
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
      if (!itinerary) throw new InternalError('air crossing without itinerary');
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
      if (!itinerary) throw new InternalError('air crossing without itinerary');
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
    apply(event, ctx) {
      const { rng } = ctx;
      const item = event.items[0]!;
      item.description = rng.pick(['PARTS', 'Goods', 'samples', 'General cargo']);
      valueAtShareOfNorm(event, 0.03 + rng.next() * 0.05, ctx);
    },
  },
  undervalued: {
    kind: 'cargo',
    indicators: ['cargo.low-value-per-kg'],
    apply(event, ctx) {
      // Goods declared at 5-18 % of what their HS code is worth per kg, described properly.
      valueAtShareOfNorm(event, 0.05 + ctx.rng.next() * 0.13, ctx);
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
  'unsealed-container': {
    kind: 'cargo',
    indicators: ['cargo.container-without-seals'],
    apply(event, ctx) {
      withContainer(event, ctx);
      event.seals = [];
    },
  },
  'unsealed-heavy-container': {
    kind: 'cargo',
    indicators: ['cargo.container-without-seals', 'cargo.weight-per-package-off'],
    apply(event, ctx) {
      withContainer(event, ctx);
      event.seals = [];
      const item = event.items[0]!;
      item.grossKg = Math.round(item.grossKg * 6 * 10) / 10;
      item.netKg = Math.round(item.grossKg * 0.93 * 10) / 10;
    },
  },
  'shuttle-entries': {
    // Kyrgyzstan to Uzbekistan, on to Tajikistan and back into Uzbekistan in an afternoon:
    // three entries through two crossing points (Dostuk-Dustlik, Oybek-Fotehobod).
    kind: 'crossing',
    indicators: ['crossing.repeated-entries-several-posts'],
    posts: ['KG-DOSTUK'],
    then: [
      { afterMinutes: [20, 50], posts: ['UZ-DUSTLIK'], direction: 'entry' },
      { afterMinutes: [200, 260], posts: ['UZ-OYBEK'], direction: 'exit' },
      { afterMinutes: [270, 320], posts: ['TJ-FOTEHOBOD'], direction: 'entry' },
      { afterMinutes: [400, 440], posts: ['TJ-FOTEHOBOD'], direction: 'exit' },
      { afterMinutes: [450, 500], posts: ['UZ-OYBEK'], direction: 'entry' },
    ],
    apply(event) {
      event.direction = 'exit';
      event.mode = 'pedestrian';
      delete event.vehicle;
    },
  },
  'crossing-surge': {
    kind: 'crossing',
    indicators: ['crossing.volume-anomaly'],
    posts: ['KZ-KORDAY', 'KG-AKZHOL', 'UZ-OYBEK'],
    surge: { count: 150, minutes: 12 },
    optIn: true,
    apply() {
      // The surge is the case: its events are ordinary ones, only many at once.
    },
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
  'document-several-names': {
    // The holder leaves; hours later someone else arrives at the other airport on the same passport.
    kind: 'crossing',
    indicators: ['crossing.document-several-names'],
    posts: AIRPORTS,
    then: [{ afterMinutes: [180, 480], posts: AIRPORTS, direction: 'entry', newFamilyName: true }],
    apply(event) {
      event.direction = 'exit';
    },
  },
  'vehicle-shuttle': {
    // One car across and back four times in a day, a different driver alone each time.
    kind: 'crossing',
    indicators: ['crossing.vehicle-shuttle-different-drivers'],
    posts: ['KZ-NURZHOLY', 'UZ-AYRITOM'],
    from: 'car',
    then: [
      { afterMinutes: [100, 200], posts: 'same', direction: 'entry', newPerson: true },
      { afterMinutes: [260, 360], posts: 'same', direction: 'exit', newPerson: true },
      { afterMinutes: [420, 540], posts: 'same', direction: 'entry', newPerson: true },
    ],
    apply(event) {
      event.direction = 'exit';
    },
  },
  'resealed-container': {
    // Sealed at the Kazakh exit, declared with other seals at the Uzbek entry on the same trip.
    kind: 'cargo',
    indicators: ['cargo.seals-changed-between-posts'],
    posts: ['KZ-ZHIBEKZHOLY'],
    direction: 'exit',
    then: [{ afterMinutes: [40, 150], posts: ['UZ-GISHTKUPRIK'], direction: 'entry', reseal: true }],
    apply(event, ctx) {
      withContainer(event, ctx);
      event.seals = event.containerIds.map(() => `SL${ctx.rng.digits(7)}`);
    },
  },
  'risky-transit': {
    kind: 'cargo',
    indicators: ['cargo.transit-high-risk-country'],
    apply(event, { rng }) {
      event.countries.transit = [rng.pick(['IRN', 'PAK'])];
    },
  },
  'freight-over-value': {
    kind: 'cargo',
    indicators: ['cargo.freight-above-goods-value'],
    apply(event, { rng }) {
      // One goods line, so that freight and goods are in one currency.
      const item = event.items[0]!;
      event.items = [item];
      event.freight = { amount: Math.round(item.value.amount * (1.5 + rng.next() * 2) * 100) / 100, currency: item.value.currency };
    },
  },
} as const satisfies Record<string, CrossingCase | CargoCase>;

export type PlantedCaseName = keyof typeof PLANTED_CASES;
export const PLANTED_CASE_NAMES = Object.keys(PLANTED_CASES) as PlantedCaseName[];
/** The cases ordinary traffic draws from: all but the opt-in ones. */
export const DEFAULT_CASE_NAMES = PLANTED_CASE_NAMES.filter((name) => !('optIn' in PLANTED_CASES[name]));
