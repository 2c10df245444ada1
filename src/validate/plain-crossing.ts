import { CONTROL_CHARACTER, DateSchema, EventTimeSchema, STATE_CODES } from '../model/common.ts';
import type { Crossing } from '../model/crossing.ts';
import { LIMITS } from '../model/limits.ts';

/**
 * The hot path's validator for the common case: a crossing without airline-message parts
 * (`api`, `pnr`, `source`) that the schema takes exactly as it is, with nothing to rewrite
 * (no -0 to read as 0). It answers only "certainly valid": anything else (an invalid
 * crossing, a cargo declaration, an airline crossing, anything it is unsure of) returns
 * false and zod decides, so every rejection, and its wording, is still zod's. It allocates
 * nothing and keeps the object it was given, where zod would build a copy: zod's object
 * walk and its copy were a tenth of the processor's time and two fifths of what it
 * allocated per event (bench/RESULTS.md, issue 25). test/validate/plain-crossing.test.ts
 * holds it to zod's verdicts and output on generated and mutated crossings.
 */
export function isPlainCrossing(value: unknown): value is Crossing {
  if (!isRecord(value) || value.kind !== 'crossing' || value.schemaVersion !== 1) return false;
  if (!onlyKeys(value, CROSSING_KEYS)) return false;
  return (
    isEventId(value.eventId) &&
    typeof value.eventTime === 'string' &&
    EVENT_TIME.test(value.eventTime) &&
    typeof value.post === 'string' &&
    POST.test(value.post) &&
    (value.direction === 'entry' || value.direction === 'exit') &&
    typeof value.mode === 'string' &&
    MODES.has(value.mode) &&
    isTraveller(value.traveller) &&
    isDocument(value.document) &&
    optional(value, 'vehicle', isVehicle) &&
    optional(value, 'itinerary', isItinerary)
  );
}

// The patterns zod's own ISO formats test (zod v4 keeps a string format's regex on `_zod.pattern`), so the two cannot disagree on a date.
const EVENT_TIME: RegExp = EventTimeSchema._zod.pattern;
const DATE: RegExp = DateSchema._zod.pattern;
const EVENT_ID = /^[\x21-\x7e]+$/;
const POST = /^[A-Z]{2}-[A-Z0-9-]{2,40}$/;
const DOCUMENT_NUMBER = /^[A-Z0-9]{1,20}$/;
const MRZ_LINE = /^[A-Z0-9<]+$/;
const CARRIER = /^[A-Z0-9]{2,3}$/;
const FLIGHT = /^[0-9]{1,4}[A-Z]?$/;
const IATA = /^[A-Z]{3}$/;

/** The keys this path knows; `api`, `pnr` and `source` are left to zod. */
const CROSSING_KEYS = new Set(['schemaVersion', 'kind', 'eventId', 'eventTime', 'post', 'direction', 'mode', 'traveller', 'document', 'vehicle', 'itinerary']);
const TRAVELLER_KEYS = new Set(['familyName', 'givenNames', 'dateOfBirth', 'sex', 'nationality']);
const DOCUMENT_KEYS = new Set(['type', 'number', 'issuingState', 'expiry', 'mrz']);
const VEHICLE_KEYS = new Set(['plate', 'country']);
const ITINERARY_KEYS = new Set(['carrier', 'flight', 'origin', 'destination', 'routing', 'bookingDate', 'paymentForm', 'oneWay', 'bagCount', 'bagWeightKg', 'ticketAgency']);
const MODES: ReadonlySet<string> = new Set(['air', 'road', 'rail', 'pedestrian', 'sea']);
const SEXES: ReadonlySet<string> = new Set(['F', 'M', 'X']);
const DOCUMENT_TYPES: ReadonlySet<string> = new Set(['passport', 'id-card', 'refugee-travel-document', 'seafarer-id', 'crew-certificate', 'other']);
const PAYMENT_FORMS: ReadonlySet<string> = new Set(['cash', 'card', 'bank-transfer', 'voucher', 'miles', 'other']);

type Fields = Record<string, unknown>;

function isRecord(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;
}

/** No key outside `known` (zod's strict objects refuse them). */
function onlyKeys(value: Fields, known: ReadonlySet<string>): boolean {
  for (const key in value) if (!known.has(key)) return false;
  return true;
}

/** Absent, or present and passing `check`; present but undefined is left to zod. */
function optional(value: Fields, key: string, check: (v: unknown) => boolean): boolean {
  return !Object.hasOwn(value, key) || check(value[key]);
}

function isEventId(v: unknown): boolean {
  return typeof v === 'string' && v.length <= 128 && EVENT_ID.test(v);
}

function isDate(v: unknown): boolean {
  return typeof v === 'string' && DATE.test(v);
}

function isState(v: unknown): boolean {
  return typeof v === 'string' && STATE_CODES.has(v);
}

/** A name or identifier field of `min`..`max` UTF-16 units (zod counts `length`) with no control or format character. */
function isPlainText(v: unknown, min: number, max: number): boolean {
  return typeof v === 'string' && v.length >= min && v.length <= max && !CONTROL_CHARACTER.test(v);
}

function isTraveller(v: unknown): boolean {
  return (
    isRecord(v) &&
    onlyKeys(v, TRAVELLER_KEYS) &&
    isPlainText(v.familyName, 1, 100) &&
    isPlainText(v.givenNames, 0, 100) &&
    isDate(v.dateOfBirth) &&
    typeof v.sex === 'string' &&
    SEXES.has(v.sex) &&
    isState(v.nationality)
  );
}

function isDocument(v: unknown): boolean {
  return (
    isRecord(v) &&
    onlyKeys(v, DOCUMENT_KEYS) &&
    typeof v.type === 'string' &&
    DOCUMENT_TYPES.has(v.type) &&
    typeof v.number === 'string' &&
    DOCUMENT_NUMBER.test(v.number) &&
    isState(v.issuingState) &&
    isDate(v.expiry) &&
    optional(v, 'mrz', isMrz)
  );
}

/** ICAO 9303: 2 lines of 44 (TD3) or 36 (TD2), or 3 lines of 30 (TD1), of A-Z, 0-9 and <. */
function isMrz(v: unknown): boolean {
  if (!Array.isArray(v) || v.length < 2 || v.length > 3) return false;
  const width = typeof v[0] === 'string' ? v[0].length : -1;
  if (v.length === 3 ? width !== 30 : width !== 36 && width !== 44) return false;
  for (const line of v) if (typeof line !== 'string' || line.length !== width || !MRZ_LINE.test(line)) return false;
  return true;
}

function isVehicle(v: unknown): boolean {
  return isRecord(v) && onlyKeys(v, VEHICLE_KEYS) && isPlainText(v.plate, 1, 20) && isState(v.country);
}

function isItinerary(v: unknown): boolean {
  if (!isRecord(v) || !onlyKeys(v, ITINERARY_KEYS)) return false;
  const { routing, bagCount, bagWeightKg } = v;
  if (!Array.isArray(routing) || routing.length > LIMITS.routing) return false;
  for (const airport of routing) if (typeof airport !== 'string' || !IATA.test(airport)) return false;
  return (
    typeof v.carrier === 'string' &&
    CARRIER.test(v.carrier) &&
    typeof v.flight === 'string' &&
    FLIGHT.test(v.flight) &&
    typeof v.origin === 'string' &&
    IATA.test(v.origin) &&
    typeof v.destination === 'string' &&
    IATA.test(v.destination) &&
    isDate(v.bookingDate) &&
    typeof v.paymentForm === 'string' &&
    PAYMENT_FORMS.has(v.paymentForm) &&
    typeof v.oneWay === 'boolean' &&
    // -0 is left to zod, which rewrites it to 0.
    Number.isSafeInteger(bagCount) &&
    (bagCount as number) >= 0 &&
    (bagCount as number) <= 50 &&
    !Object.is(bagCount, -0) &&
    typeof bagWeightKg === 'number' &&
    Number.isFinite(bagWeightKg) &&
    bagWeightKg >= 0 &&
    bagWeightKg <= 1000 &&
    !Object.is(bagWeightKg, -0) &&
    isPlainText(v.ticketAgency, 0, 100)
  );
}
