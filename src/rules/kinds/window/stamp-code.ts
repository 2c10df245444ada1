import { daysFromCivil, digits } from '../../../enrich/event-time.ts';

/**
 * An event time as a window record keeps it. A record needs the event's time as written
 * (`2026-11-02T05:00:11.617+05:00`, for evidence and snapshots) beside its time in ms; in
 * the two shapes events carry, the text is the time in ms written in its UTC offset, so
 * the record keeps the offset alone, a small integer stored inline in the array, and
 * writes the text again when evidence or a snapshot asks. A window over 30 days of fresh
 * traffic so holds one string fewer per event for the garbage collector to move and mark.
 * Any other text (another shape, `-00:00`, a time that is not the one in ms) is kept as it is.
 */
export type Stamp = string | number;

/** The code of a `Z` time; offsets in minutes lie within ±(23 × 60 + 59). */
const UTC = 10_000;
const PLUS = 43;
const MINUS = 45;

/** The stamp to keep for event time `text`, whose time in ms is `t`. */
export function stampOf(text: string, t: number): Stamp {
  const offset = offsetMinutes(text);
  if (offset === undefined) return text;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 7);
  const day = digits(text, 8, 10);
  const hour = digits(text, 11, 13);
  const minute = digits(text, 14, 16);
  const second = digits(text, 17, 19);
  const ms = digits(text, 20, 23);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59 || ms < 0) return text;
  const local = daysFromCivil(year, month, day) * 86_400_000 + ((hour * 60 + minute) * 60 + second) * 1000 + ms;
  // The text names the instant `t` (it may not, where `t` came from elsewhere than this text).
  if (local - (offset === UTC ? 0 : offset) * 60_000 !== t) return text;
  return offset;
}

/** The event time a stamp stands for, as it was written. */
export function stampText(stamp: Stamp, t: number): string {
  if (typeof stamp === 'string') return stamp;
  if (stamp === UTC) return new Date(t).toISOString();
  const local = new Date(t + stamp * 60_000).toISOString().slice(0, 23);
  const size = Math.abs(stamp);
  return `${local}${stamp < 0 ? '-' : '+'}${pad(Math.floor(size / 60))}:${pad(size % 60)}`;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/**
 * The offset of a time written `YYYY-MM-DDTHH:MM:SS.sssZ` (UTC) or `...±HH:MM` (minutes);
 * undefined for any other shape, and for `-00:00`, which the minutes cannot tell from `+00:00`.
 */
function offsetMinutes(text: string): number | undefined {
  const { length } = text;
  if (length !== 24 && length !== 29) return undefined;
  if (text.charCodeAt(4) !== MINUS || text.charCodeAt(7) !== MINUS || text.charCodeAt(10) !== 84 || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58 || text.charCodeAt(19) !== 46) return undefined;
  if (length === 24) return text.charCodeAt(23) === 90 ? UTC : undefined;
  const sign = text.charCodeAt(23);
  if ((sign !== PLUS && sign !== MINUS) || text.charCodeAt(26) !== 58) return undefined;
  const hours = digits(text, 24, 26);
  const minutes = digits(text, 27, 29);
  if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59) return undefined;
  const offset = hours * 60 + minutes;
  if (sign === MINUS && offset === 0) return undefined;
  return sign === PLUS ? offset : -offset;
}
