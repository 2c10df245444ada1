import crypto from 'node:crypto';
import countries from 'i18n-iso-countries';
import { STATE_CODES } from '../model/common.ts';

/**
 * Values airline messages write in their own ways, read into the event schema's forms:
 * dates with two-digit years, local times, country codes, names and document numbers.
 */

/** How a two-digit year is given its century. */
export type Century = 'past' | 'future';

/** One flight leg as both airline messages give it: times are local, `YYYY-MM-DDTHH:MM`. */
export interface FlightLeg {
  carrier: string;
  flight: string;
  from: string;
  to: string;
  departure?: string;
  arrival?: string;
}

/**
 * `YYMMDD`, `CCYYMMDD`, `DDMMYY` (PNRGOV, `dayFirst`) or `DDMMMYY` (SSR DOCS, `12JUL64`)
 * as `YYYY-MM-DD`, or undefined when it is no calendar date. A two-digit year is put in
 * the century that makes it `past` (a date of birth: not after `reference`) or `future`
 * (an expiry or a flight: 2000 + YY).
 */
export function isoDate(text: string, century: Century, reference: number, dayFirst = false): string | undefined {
  let y: number;
  let m: number;
  let d: number;
  const months = /^(\d{2})([A-Z]{3})(\d{2})$/.exec(text);
  if (months) {
    d = Number(months[1]);
    m = 'JANFEBMARAPRMAYJUNJULAUGSEPOCTNOVDEC'.indexOf(months[2]!) / 3 + 1;
    y = Number(months[3]);
    if (m === 0 || !Number.isInteger(m)) return undefined;
  } else if (/^\d{8}$/.test(text)) {
    [y, m, d] = [Number(text.slice(0, 4)), Number(text.slice(4, 6)), Number(text.slice(6, 8))];
    return calendar(y, m, d);
  } else if (/^\d{6}$/.test(text)) {
    const [a, b, c] = [Number(text.slice(0, 2)), Number(text.slice(2, 4)), Number(text.slice(4, 6))];
    [y, m, d] = dayFirst ? [c, b, a] : [a, b, c];
  } else {
    return undefined;
  }
  const referenceYear = Math.floor(reference / 100) * 100;
  let full = referenceYear + y;
  if (century === 'past' && full > reference) full -= 100;
  return calendar(full, m, d);
}

function calendar(y: number, m: number, d: number): string | undefined {
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return undefined;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** `HHMM` as `HH:MM`, or undefined. */
export function clockTime(text: string): string | undefined {
  if (!/^\d{4}$/.test(text)) return undefined;
  const h = Number(text.slice(0, 2));
  const m = Number(text.slice(2));
  return h < 24 && m < 60 ? `${text.slice(0, 2)}:${text.slice(2)}` : undefined;
}

/**
 * UTC offsets of the countries whose posts the processor knows, by the post id's alpha-2
 * prefix. Airline messages give local times without an offset; the event schema needs
 * one. Kazakhstan has kept one zone, UTC+5, since 1 March 2024.
 */
const POST_OFFSETS: Readonly<Record<string, string>> = { KZ: '+05:00', UZ: '+05:00', KG: '+06:00', TJ: '+05:00', TM: '+05:00' };

/** The offset to write a post's local times with; `+00:00` where the post's country is not known. */
export function offsetOfPost(post: string): string {
  return POST_OFFSETS[post.slice(0, 2)] ?? '+00:00';
}

/** An alpha-3 state code from an alpha-3 or alpha-2 one, or undefined. */
export function stateCode(text: string): string | undefined {
  const code = text.trim().toUpperCase();
  if (STATE_CODES.has(code)) return code;
  if (/^[A-Z]{2}$/.test(code)) {
    const alpha3 = countries.alpha2ToAlpha3(code);
    if (alpha3 !== undefined && STATE_CODES.has(alpha3)) return alpha3;
  }
  return undefined;
}

/** A document number as the event schema keeps it: upper case, without spaces, dashes or fillers. */
export function documentNumber(text: string): string {
  return text.toUpperCase().replace(/[\s<\-/.]/g, '');
}

/** `KC0101` with carrier `KC` → `{ carrier: 'KC', flight: '101' }`; undefined when no flight number is there. */
export function splitFlight(id: string, carrierHint: string): { carrier: string; flight: string } | undefined {
  const text = id.replace(/\s/g, '').toUpperCase();
  let carrier = carrierHint.toUpperCase();
  let rest = text;
  if (carrier !== '' && text.startsWith(carrier)) rest = text.slice(carrier.length);
  else {
    const m = /^([A-Z0-9]{2}[A-Z]?)(\d{1,4}[A-Z]?)$/.exec(text) ?? /^([A-Z0-9]{2})(\d{1,4}[A-Z]?)$/.exec(text);
    if (!m) return undefined;
    if (carrier === '') carrier = m[1]!;
    rest = m[2]!;
  }
  const number = /^0*(\d{1,4}[A-Z]?)$/.exec(rest);
  if (!number || !/^[A-Z0-9]{2,3}$/.test(carrier)) return undefined;
  return { carrier, flight: number[1]! };
}

/** A short stable id part: the first 12 hex digits of SHA-256 over the parts given. */
export function digest(...parts: readonly string[]): string {
  return crypto.createHash('sha256').update(parts.join('\u001f')).digest('hex').slice(0, 12);
}
