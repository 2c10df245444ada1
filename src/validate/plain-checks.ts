import { CONTROL_CHARACTER, CURRENCY_CODES, DateSchema, EventTimeSchema, STATE_CODES } from '../model/common.ts';

/**
 * The field checks the plain-event validators (`plain-crossing.ts`, `plain-cargo.ts`) share,
 * each the same test as the zod schema's for that field. They answer "certainly valid" or
 * false; false only means that zod decides.
 */

// The patterns zod's own ISO formats test (zod v4 keeps a string format's regex on `_zod.pattern`), so the two cannot disagree on a date.
const EVENT_TIME: RegExp = EventTimeSchema._zod.pattern;
const DATE: RegExp = DateSchema._zod.pattern;
const EVENT_ID = /^[\x21-\x7e]+$/;
const POST = /^[A-Z]{2}-[A-Z0-9-]{2,40}$/;
const LINE_BREAKS = /[\t\n\r]/g;

export type Fields = Record<string, unknown>;

/** A plain object, as `JSON.parse` makes them. */
export function isRecord(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;
}

/** No key outside `known` (zod's strict objects refuse them). */
export function onlyKeys(value: Fields, known: ReadonlySet<string>): boolean {
  for (const key in value) if (!known.has(key)) return false;
  return true;
}

/** Absent, or present and passing `check`; present but undefined is left to zod. */
export function optional(value: Fields, key: string, check: (v: unknown) => boolean): boolean {
  return !Object.hasOwn(value, key) || check(value[key]);
}

/** The fields every event starts with: schema version, kind, id, time, post, direction. */
export function isEventHead(value: Fields, kind: string): boolean {
  const { eventId, eventTime, post, direction } = value;
  return (
    value.schemaVersion === 1 &&
    value.kind === kind &&
    typeof eventId === 'string' &&
    eventId.length <= 128 &&
    EVENT_ID.test(eventId) &&
    typeof eventTime === 'string' &&
    EVENT_TIME.test(eventTime) &&
    typeof post === 'string' &&
    POST.test(post) &&
    (direction === 'entry' || direction === 'exit')
  );
}

export function isDate(v: unknown): boolean {
  return typeof v === 'string' && DATE.test(v);
}

export function isState(v: unknown): boolean {
  return typeof v === 'string' && STATE_CODES.has(v);
}

export function isCurrency(v: unknown): boolean {
  return typeof v === 'string' && CURRENCY_CODES.has(v);
}

export function isOneOf(v: unknown, values: ReadonlySet<string>): boolean {
  return typeof v === 'string' && values.has(v);
}

/**
 * A name or identifier field of `min`..`max` characters with no control or format
 * character. zod counts code points; `length` counts UTF-16 units, one or two per code
 * point, so `length <= max` is at least as strict as zod (anything longer goes to zod),
 * and a minimum is counted in code points when the units alone cannot settle it.
 */
export function isPlainText(v: unknown, min: number, max: number): boolean {
  return typeof v === 'string' && v.length <= max && hasAtLeast(v, min) && !CONTROL_CHARACTER.test(v);
}

/** As `isPlainText`, but tabs and line breaks are allowed (a goods description). */
export function isFreeText(v: unknown, min: number, max: number): boolean {
  return typeof v === 'string' && v.length <= max && hasAtLeast(v, min) && !CONTROL_CHARACTER.test(v.replace(LINE_BREAKS, ' '));
}

/** Whether `v` has at least `min` code points, as zod's minimum length counts them. */
function hasAtLeast(v: string, min: number): boolean {
  if (v.length < min) return false;
  // Every code point is at most two units, so twice the minimum in units is enough.
  return v.length >= 2 * min || [...v].length >= min;
}

/** A finite number from `min` up; not -0, which zod rewrites to 0. */
export function isAmount(v: unknown, min: number, max = Number.POSITIVE_INFINITY): boolean {
  return typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max && !Object.is(v, -0);
}

/** An array of at most `max` (at least `min`) items each passing `check`. */
export function isArrayOf(v: unknown, min: number, max: number, check: (item: unknown) => boolean): boolean {
  if (!Array.isArray(v) || v.length < min || v.length > max) return false;
  for (const item of v) if (!check(item)) return false;
  return true;
}
