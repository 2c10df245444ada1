import { PNR_LIMITS } from '../model/air-records.ts';
import { type Fields, isArrayOf, isDate, isOneOf, isPlainText, isRecord, isState, onlyKeys, optional } from './plain-checks.ts';

/**
 * The hot path's checks for a crossing's airline-message parts (`api` from a PAXLST, `pnr`
 * from a PNRGOV, `source`: src/model/air-records.ts), each the same test as the zod
 * schema's, field by field. Like the plain crossing's, they answer only "certainly valid";
 * false means that zod decides. At an airport every crossing carries them, and zod's copy
 * of each was most of what validating one cost. test/validate/plain-air.test.ts holds them
 * to zod's verdicts and output.
 */

const CARRIER = /^[A-Z0-9]{2,3}$/;
const FLIGHT = /^[0-9]{1,4}[A-Z]?$/;
const IATA = /^[A-Z]{3}$/;
const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;
const RECORD_LOCATOR = /^[A-Z0-9]{1,20}$/;
const PHONE = /^\+?[0-9]{5,20}$/;
const PAYMENT_CODE = /^[A-Z0-9]{1,3}$/;
const CARD_MASKED = /^X*[0-9X]{0,4}$/;
const CARD_FINGERPRINT = /^[0-9a-f]{16}$/;
const MESSAGE_VERSION = /^[A-Z0-9.:]{1,12}$/;

const API_KEYS = new Set(['role', 'carrier', 'flight', 'origin', 'destination', 'departure', 'arrival', 'embarkation', 'debarkation', 'reservation', 'residence']);
const PNR_KEYS = new Set(['recordLocator', 'contacts', 'coTravellers', 'history', 'payment']);
const CONTACTS_KEYS = new Set(['phones', 'emails', 'addresses']);
const NAME_KEYS = new Set(['familyName', 'givenNames']);
const HISTORY_KEYS = new Set(['action', 'item', 'date']);
const PAYMENT_KEYS = new Set(['code', 'cardType', 'cardMasked', 'cardFingerprint']);
const SOURCE_KEYS = new Set(['format', 'version', 'messageRef', 'segment', 'interchangeRef', 'sender']);
const ROLES: ReadonlySet<string> = new Set(['passenger', 'crew', 'transit-passenger', 'transit-crew']);
const ACTIONS: ReadonlySet<string> = new Set(['added', 'cancelled', 'changed', 'other']);
const FORMATS: ReadonlySet<string> = new Set(['paxlst', 'pnrgov']);

function matches(v: unknown, pattern: RegExp): boolean {
  return typeof v === 'string' && pattern.test(v);
}

const isAirport = (v: unknown): boolean => matches(v, IATA);
const isLocalDateTime = (v: unknown): boolean => matches(v, LOCAL_DATE_TIME);
const isReference = (v: unknown): boolean => isPlainText(v, 1, 35);
const isPhone = (v: unknown): boolean => matches(v, PHONE);
const isEmail = (v: unknown): boolean => isPlainText(v, 3, 120);
const isAddress = (v: unknown): boolean => isPlainText(v, 1, 300);
const isPaymentCode = (v: unknown): boolean => matches(v, PAYMENT_CODE);
const isCardMasked = (v: unknown): boolean => matches(v, CARD_MASKED) && (v as string).length <= 19;
const isCardFingerprint = (v: unknown): boolean => matches(v, CARD_FINGERPRINT);

/** The flight and the traveller's role on it (`ApiSchema`). */
export function isApi(v: unknown): boolean {
  if (!isRecord(v) || !onlyKeys(v, API_KEYS)) return false;
  const fields: Fields = v;
  return (
    isOneOf(fields.role, ROLES) &&
    matches(fields.carrier, CARRIER) &&
    matches(fields.flight, FLIGHT) &&
    isAirport(fields.origin) &&
    isAirport(fields.destination) &&
    optional(fields, 'departure', isLocalDateTime) &&
    optional(fields, 'arrival', isLocalDateTime) &&
    optional(fields, 'embarkation', isAirport) &&
    optional(fields, 'debarkation', isAirport) &&
    optional(fields, 'reservation', isReference) &&
    optional(fields, 'residence', isState)
  );
}

/** The booking the traveller was on (`PnrSchema`). */
export function isPnr(v: unknown): boolean {
  if (!isRecord(v) || !onlyKeys(v, PNR_KEYS)) return false;
  const fields: Fields = v;
  return (
    matches(fields.recordLocator, RECORD_LOCATOR) &&
    isContacts(fields.contacts) &&
    isArrayOf(fields.coTravellers, 0, PNR_LIMITS.coTravellers, isName) &&
    isArrayOf(fields.history, 0, PNR_LIMITS.history, isHistoryEntry) &&
    optional(fields, 'payment', isPayment)
  );
}

/** Which message the crossing was read from (`MessageSourceSchema`). */
export function isMessageSource(v: unknown): boolean {
  if (!isRecord(v) || !onlyKeys(v, SOURCE_KEYS)) return false;
  const fields: Fields = v;
  return (
    isOneOf(fields.format, FORMATS) &&
    matches(fields.version, MESSAGE_VERSION) &&
    isReference(fields.messageRef) &&
    // zod's int() is a safe integer; from 1, so never -0.
    Number.isSafeInteger(fields.segment) &&
    (fields.segment as number) >= 1 &&
    optional(fields, 'interchangeRef', isReference) &&
    optional(fields, 'sender', isReference)
  );
}

function isContacts(v: unknown): boolean {
  if (!isRecord(v) || !onlyKeys(v, CONTACTS_KEYS)) return false;
  const fields: Fields = v;
  return (
    isArrayOf(fields.phones, 0, PNR_LIMITS.contacts, isPhone) &&
    isArrayOf(fields.emails, 0, PNR_LIMITS.contacts, isEmail) &&
    isArrayOf(fields.addresses, 0, PNR_LIMITS.contacts, isAddress)
  );
}

function isName(v: unknown): boolean {
  return isRecord(v) && onlyKeys(v, NAME_KEYS) && isPlainText(v.familyName, 1, 100) && isPlainText(v.givenNames, 0, 100);
}

function isHistoryEntry(v: unknown): boolean {
  return isRecord(v) && onlyKeys(v, HISTORY_KEYS) && isOneOf(v.action, ACTIONS) && isPlainText(v.item, 1, 200) && optional(v, 'date', isDate);
}

function isPayment(v: unknown): boolean {
  if (!isRecord(v) || !onlyKeys(v, PAYMENT_KEYS)) return false;
  const fields: Fields = v;
  return (
    isPaymentCode(fields.code) &&
    optional(fields, 'cardType', isPaymentCode) &&
    optional(fields, 'cardMasked', isCardMasked) &&
    optional(fields, 'cardFingerprint', isCardFingerprint)
  );
}
