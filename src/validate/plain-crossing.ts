import type { Crossing } from '../model/crossing.ts';
import { LIMITS } from '../model/limits.ts';
import { isApi, isMessageSource, isPnr } from './plain-air.ts';
import { type Fields, isAmount, isArrayOf, isDate, isEventHead, isOneOf, isPlainText, isRecord, isState, onlyKeys, optional } from './plain-checks.ts';

/**
 * The hot path's validator for the common case: a crossing (its airline-message parts,
 * `api`, `pnr` and `source`, checked in plain-air.ts) that the schema takes exactly as it
 * is, with nothing to rewrite (no -0 to read as 0). It answers only "certainly valid":
 * anything else (an invalid crossing, anything it is unsure of) returns false and zod decides,
 * so every rejection, and its wording, is still zod's. It allocates nothing and keeps the
 * object it was given, where zod would build a copy: zod's object walk and its copy were a
 * tenth of the processor's time and two fifths of what it allocated per event
 * (bench/RESULTS.md, issue 25). test/validate/plain-events.test.ts holds it to zod's
 * verdicts and output on generated and edited events, test/validate/plain-air.test.ts on
 * crossings read from airline messages.
 */
export function isPlainCrossing(value: unknown): value is Crossing {
  return (
    isRecord(value) &&
    isEventHead(value, 'crossing') &&
    onlyKeys(value, CROSSING_KEYS) &&
    isOneOf(value.mode, MODES) &&
    isTraveller(value.traveller) &&
    isDocument(value.document) &&
    optional(value, 'vehicle', isVehicle) &&
    optional(value, 'itinerary', isItinerary) &&
    optional(value, 'api', isApi) &&
    optional(value, 'pnr', isPnr) &&
    optional(value, 'source', isMessageSource)
  );
}

const DOCUMENT_NUMBER = /^[A-Z0-9]{1,20}$/;
const MRZ_LINE = /^[A-Z0-9<]+$/;
const CARRIER = /^[A-Z0-9]{2,3}$/;
const FLIGHT = /^[0-9]{1,4}[A-Z]?$/;
const IATA = /^[A-Z]{3}$/;

const CROSSING_KEYS = new Set(['schemaVersion', 'kind', 'eventId', 'eventTime', 'post', 'direction', 'mode', 'traveller', 'document', 'vehicle', 'itinerary', 'api', 'pnr', 'source']);
const TRAVELLER_KEYS = new Set(['familyName', 'givenNames', 'dateOfBirth', 'sex', 'nationality']);
const DOCUMENT_KEYS = new Set(['type', 'number', 'issuingState', 'expiry', 'mrz']);
const VEHICLE_KEYS = new Set(['plate', 'country']);
const ITINERARY_KEYS = new Set(['carrier', 'flight', 'origin', 'destination', 'routing', 'bookingDate', 'paymentForm', 'oneWay', 'bagCount', 'bagWeightKg', 'ticketAgency']);
const MODES: ReadonlySet<string> = new Set(['air', 'road', 'rail', 'pedestrian', 'sea']);
const SEXES: ReadonlySet<string> = new Set(['F', 'M', 'X']);
const DOCUMENT_TYPES: ReadonlySet<string> = new Set(['passport', 'id-card', 'refugee-travel-document', 'seafarer-id', 'crew-certificate', 'other']);
const PAYMENT_FORMS: ReadonlySet<string> = new Set(['cash', 'card', 'bank-transfer', 'voucher', 'miles', 'other']);

function matches(v: unknown, pattern: RegExp): boolean {
  return typeof v === 'string' && pattern.test(v);
}

function isTraveller(v: unknown): boolean {
  return (
    isRecord(v) &&
    onlyKeys(v, TRAVELLER_KEYS) &&
    isPlainText(v.familyName, 1, 100) &&
    isPlainText(v.givenNames, 0, 100) &&
    isDate(v.dateOfBirth) &&
    isOneOf(v.sex, SEXES) &&
    isState(v.nationality)
  );
}

function isDocument(v: unknown): boolean {
  return (
    isRecord(v) &&
    onlyKeys(v, DOCUMENT_KEYS) &&
    isOneOf(v.type, DOCUMENT_TYPES) &&
    matches(v.number, DOCUMENT_NUMBER) &&
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

function isAirport(v: unknown): boolean {
  return matches(v, IATA);
}

function isItinerary(v: unknown): boolean {
  if (!isRecord(v) || !onlyKeys(v, ITINERARY_KEYS)) return false;
  const fields: Fields = v;
  return (
    matches(fields.carrier, CARRIER) &&
    matches(fields.flight, FLIGHT) &&
    isAirport(fields.origin) &&
    isAirport(fields.destination) &&
    isArrayOf(fields.routing, 0, LIMITS.routing, isAirport) &&
    isDate(fields.bookingDate) &&
    isOneOf(fields.paymentForm, PAYMENT_FORMS) &&
    typeof fields.oneWay === 'boolean' &&
    Number.isSafeInteger(fields.bagCount) &&
    isAmount(fields.bagCount, 0, 50) &&
    isAmount(fields.bagWeightKg, 0, 1000) &&
    isPlainText(fields.ticketAgency, 0, 100)
  );
}
