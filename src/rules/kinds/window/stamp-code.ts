import { readWrittenTime } from '../../../enrich/event-time.ts';

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
const MINUS = 45;

/** The stamp to keep for event time `text`, whose time in ms is `t`. */
export function stampOf(text: string, t: number): Stamp {
  const { localMs, offsetMinutes } = readWrittenTime(text);
  if (Number.isNaN(localMs)) return text;
  // `-00:00` is kept as written: the minutes cannot tell it from `+00:00`.
  const offset = text.length === 24 ? UTC : offsetMinutes === 0 && text.charCodeAt(23) === MINUS ? undefined : offsetMinutes;
  if (offset === undefined) return text;
  // The text names the instant `t` (it may not, where `t` came from elsewhere than this text).
  if (localMs - offsetMinutes * 60_000 !== t) return text;
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

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}
