import crypto from 'node:crypto';
import type { Pnr } from '../model/air-records.ts';
import type { Itinerary } from '../model/crossing.ts';
import { clockTime, documentNumber, type FlightLeg, isoDate, splitFlight, stateCode } from './air-values.ts';
import { EDIFACT_CODES } from './edifact-error.ts';
import { componentOf, type Segment } from './tokenise.ts';
import { at, problem, type Read, type TravellerDraft } from './traveller-draft.ts';

/**
 * The PNRGOV segments read one at a time (pnrgov.ts lays out the message): a traveller's
 * SSR DOCS, FOP payment, ADD addresses and IFT contact lines, the TVL legs, and the
 * connected journey around the pushed flight.
 */

type Leg = FlightLeg;

export interface TravellerPart {
  draft: TravellerDraft;
  ref: string;
  familyName: string;
  givenNames: string;
  phones: string[];
  emails: string[];
  addresses: string[];
  payment?: Pnr['payment'];
  bags: number;
  bagKg: number;
}

const TITLES = /(?:\s|^)?(MRS|MSTR|MISS|MR|MS|DR|CHD|INF)$/;

export function stripTitle(given: string): string {
  const trimmed = given.trim();
  const m = TITLES.exec(trimmed);
  return m && m.index > 0 ? trimmed.slice(0, m.index).trim() : trimmed;
}

/** `DDMMYY:HHMM:DDMMYY:HHMM` of a TVL's first element as local departure and arrival. */
function legTimes(s: Segment, referenceYear: number): { departure?: string; arrival?: string } {
  const depDate = isoDate(componentOf(s, 1, 1), 'future', referenceYear, true);
  const depTime = clockTime(componentOf(s, 1, 2));
  const c3 = componentOf(s, 1, 3);
  const c4 = componentOf(s, 1, 4);
  // Some carriers write the arrival time in the third component, leaving the date out.
  const arrDate = /^\d{6}$/.test(c3) ? isoDate(c3, 'future', referenceYear, true) : depDate;
  const arrTime = clockTime(/^\d{4}$/.test(c3) ? c3 : c4);
  return {
    ...(depDate && depTime && { departure: `${depDate}T${depTime}` }),
    ...(arrDate && arrTime && { arrival: `${arrDate}T${arrTime}` }),
  };
}

export function readLeg(s: Segment, referenceYear: number): Leg | undefined {
  const id = splitFlight(`${componentOf(s, 4, 1)}${componentOf(s, 5, 1)}`, componentOf(s, 4, 1));
  const from = componentOf(s, 2, 1).toUpperCase();
  const to = componentOf(s, 3, 1).toUpperCase();
  if (!id || !/^[A-Z]{3}$/.test(from) || !/^[A-Z]{3}$/.test(to)) return undefined;
  return { ...id, from, to, ...legTimes(s, referenceYear) };
}

/** IATA CTCE escapes: `//` for @, `..` for _, `./` for -. */
function email(text: string): string | undefined {
  const e = text.trim().replace(/\/\//g, '@').replace(/\.\./g, '_').replace(/\.\//g, '-').toLowerCase();
  return /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(e) && e.length <= 120 ? e : undefined;
}

function phone(text: string): string | undefined {
  const digits = text.replace(/[^0-9+]/g, '').replace(/(?!^)\+/g, '');
  return /^\+?[0-9]{5,20}$/.test(digits) ? digits : undefined;
}

function addUnique(list: string[], value: string | undefined): void {
  if (value !== undefined && !list.includes(value) && list.length < 20) list.push(value);
}

/** FOP 9888 as `itinerary.paymentForm`. */
export function paymentForm(code: string | undefined): Itinerary['paymentForm'] {
  switch (code) {
    case 'CA':
      return 'cash';
    case 'CC':
    case 'DC':
    case 'DB':
      return 'card';
    case 'VO':
    case 'EX':
      return 'voucher';
    case 'MI':
    case 'FF':
      return 'miles';
    case 'BT':
    case 'IN':
      return 'bank-transfer';
    default:
      return 'other';
  }
}

export function readPayment(s: Segment): Pnr['payment'] | undefined {
  const code = componentOf(s, 1, 1).toUpperCase();
  if (!/^[A-Z0-9]{1,3}$/.test(code)) return undefined;
  const vendor = componentOf(s, 1, 4).toUpperCase();
  const account = componentOf(s, 1, 5).toUpperCase().replace(/\s/g, '');
  const expiry = componentOf(s, 1, 6);
  if (account === '') return { code, ...(/^[A-Z0-9]{1,3}$/.test(vendor) && { cardType: vendor }) };
  const last4 = account.slice(-4).replace(/[^0-9X]/g, 'X');
  return {
    code,
    ...(/^[A-Z0-9]{1,3}$/.test(vendor) && { cardType: vendor }),
    cardMasked: `${'X'.repeat(Math.min(15, Math.max(0, account.length - 4)))}${last4}`,
    cardFingerprint: crypto.createHash('sha256').update(`${vendor}\u001f${account}\u001f${expiry}`).digest('hex').slice(0, 16),
  };
}

/** ADD C817: purpose, street, city, state, state code, country, postal code, phone. */
export function readAddress(s: Segment, into: { phones: string[]; addresses: string[] }): void {
  const parts = [2, 3, 4, 6, 7].map((c) => componentOf(s, 2, c).trim()).filter((p) => p !== '');
  const phoneText = componentOf(s, 2, 8);
  if (parts.length > 0) addUnique(into.addresses, parts.join(', ').slice(0, 300));
  if (phoneText !== '') addUnique(into.phones, phone(phoneText.replace(/^.*CTC\s*[A-Z]?\s*/, '')));
}

/** IFT 4:28 OSI contact lines: CTCE e-mail, CTCH/CTCB/CTCM/CTCP phones (CTCT is the agency's). */
export function readContactLine(text: string, into: { phones: string[]; emails: string[] }): void {
  const m = /^CTC\s*([A-Z])\s+(.*)$/.exec(text.trim());
  if (!m) return;
  const [, kind, rest] = m as unknown as [string, string, string];
  if (kind === 'E') addUnique(into.emails, email(rest));
  else if (kind !== 'T' && kind !== 'R') addUnique(into.phones, phone(rest.replace(/^[A-Z]{3}\s+/, '')));
}

/** The connected legs around the pushed flight (each departing where the one before arrived); the pushed flight alone if the booking does not hold it. */
export function journeyOf(legs: readonly Leg[], pushed: Leg): Leg[] {
  const k = legs.findIndex((l) => l.carrier === pushed.carrier && l.flight === pushed.flight && l.from === pushed.from && l.to === pushed.to);
  if (k < 0) return [pushed];
  let from = k;
  let to = k;
  const gapOk = (a: Leg, b: Leg): boolean => {
    if (!a.arrival || !b.departure) return true;
    const hours = (Date.parse(`${b.departure}:00Z`) - Date.parse(`${a.arrival}:00Z`)) / 3_600_000;
    return hours >= 0 && hours <= 24;
  };
  while (from > 0 && legs[from - 1]!.to === legs[from]!.from && gapOk(legs[from - 1]!, legs[from]!)) from--;
  while (to < legs.length - 1 && legs[to + 1]!.from === legs[to]!.to && legs[to + 1]!.to !== legs[from]!.from && gapOk(legs[to]!, legs[to + 1]!)) to++;
  return legs.slice(from, to + 1);
}

/**
 * SSR DOCS free text (IATA AIRIMP 3.10.4): `/P/GBR/123456789/GBR/12JUL64/M/23AUG19/SMITH/JOHN/ROBERT`
 * — type, issuing state, number, nationality, date of birth, gender, expiry, family name, given names.
 */
export function readDocs(s: Segment, number: number, t: TravellerPart, referenceYear: number, ref: string): void {
  const text = (s.elements[0]?.[0] ?? []).slice(8).join(':');
  const where = at(s, number, 1, 9);
  const f = text.split('/');
  if (f.length < 8) {
    t.draft.problems.push(problem(EDIFACT_CODES.invalid, `traveller ${t.draft.label}: SSR DOCS ${JSON.stringify(text.slice(0, 60))} does not have the AIRIMP fields`, where, ref));
    return;
  }
  const [, type = '', issuer = '', docNumber = '', nationality = '', dob = '', gender = '', expiry = '', family = '', ...given] = f;
  const read = (value: string): Read => ({ value, at: where });
  if (type !== '') t.draft.documentType = read(type);
  if (docNumber !== '') t.draft.documentNumber = read(documentNumber(docNumber));
  if (issuer !== '') t.draft.issuingState = read(stateCode(issuer) ?? issuer);
  if (nationality !== '') t.draft.nationality = read(stateCode(nationality) ?? nationality);
  if (gender !== '') t.draft.sex = read(gender);
  if (dob !== '') {
    const d = isoDate(dob.toUpperCase(), 'past', referenceYear);
    if (d) t.draft.dateOfBirth = read(d);
    else t.draft.problems.push(problem(EDIFACT_CODES.invalid, `traveller ${t.draft.label}: date of birth ${JSON.stringify(dob)} is not DDMMMYY`, where, ref));
  }
  if (expiry !== '') {
    const d = isoDate(expiry.toUpperCase(), 'future', referenceYear);
    if (d) t.draft.documentExpiry = read(d);
    else t.draft.problems.push(problem(EDIFACT_CODES.invalid, `traveller ${t.draft.label}: document expiry ${JSON.stringify(expiry)} is not DDMMMYY`, where, ref));
  }
  if (family.trim() !== '') {
    t.draft.familyName = read(family.trim());
    t.familyName = family.trim();
    const g = given.map((x) => x.trim()).filter((x) => x !== '').join(' ');
    t.draft.givenNames = read(g);
    t.givenNames = g;
  }
}
