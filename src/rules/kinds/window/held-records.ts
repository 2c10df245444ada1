import { type Stamp, stampOf, stampText } from './stamp-code.ts';

/**
 * The events one window key holds, sorted by event time, in one flat array: `[start, ...records]`,
 * each record `[timeHigh, timeLow, eventId, eventTime, value?, amount?, at?, crew?]` (`eventTime`
 * held as a {@link Stamp}, written out in full when saved; `value`
 * for windows that count distinct values, `amount` for those that sum, `at` and `crew` for
 * those that count passages). One array rather than an object
 * with an array per field, which took three times the memory for a key holding one event
 * (0.9 KB against 0.3 KB, measured with the key's table entry). The event time is split in
 * two small integers (high bits, low 20 bits) that V8 stores inline, where a time in
 * milliseconds would be a boxed number of its own. Records before `start` have left the
 * window; they are cut off in place now and then rather than on every event.
 *
 * This is also the array a key table saves for the key (records before `start` left out,
 * `start` 0): the layout is part of the snapshot format.
 */
export type Held = unknown[];

const LOW = 1_048_576;
const START = 0;
const FIRST = 1;
const ID = 2;
const STAMP = 3;
const VALUE = 4;
/** Arrays of keys holding up to this many records (with `start`) grow to the exact size; longer ones as V8 grows them. */
const EXACT_UP_TO = 4;

/** Which optional fields a window's records carry. */
export interface RecordFields {
  distinct: boolean;
  sum: boolean;
  passages: boolean;
  crews: boolean;
}

/** The record layout of one window rule: where each field sits, and the operations on a key's array. */
export class HeldRecords {
  /** Array slots per record. */
  readonly width: number;
  /** Where a record keeps its amount. */
  private readonly amountAt: number;
  /** Where a record keeps its passage place and its crew value. */
  private readonly atAt: number;
  private readonly crewAt: number;
  /** Reused by `first`. */
  private readonly extra: unknown[] = [undefined, undefined, undefined, undefined];

  constructor(private readonly fields: RecordFields) {
    this.amountAt = fields.distinct ? 5 : 4;
    this.atAt = this.amountAt + (fields.sum ? 1 : 0);
    this.crewAt = this.atAt + (fields.passages ? 1 : 0);
    this.width = this.crewAt + (fields.crews ? 1 : 0);
  }

  /** Records in the array, those before `start` included. */
  count(held: Held): number {
    return (held.length - FIRST) / this.width;
  }

  /** The first record still in the window. */
  start(held: Held): number {
    return held[START] as number;
  }

  time(held: Held, i: number): number {
    return timeAt(held, FIRST + i * this.width);
  }

  /** The newest record's time. */
  newestTime(held: Held): number {
    return timeAt(held, held.length - this.width);
  }

  eventId(held: Held, i: number): unknown {
    return held[FIRST + i * this.width + ID];
  }

  /** The event time as the event wrote it (see {@link Stamp}). */
  eventTime(held: Held, i: number): string {
    return stampText(held[FIRST + i * this.width + STAMP] as Stamp, this.time(held, i));
  }

  value(held: Held, i: number): unknown {
    return held[FIRST + i * this.width + VALUE];
  }

  amount(held: Held, i: number): number {
    return held[FIRST + i * this.width + this.amountAt] as number;
  }

  at(held: Held, i: number): unknown {
    return held[FIRST + i * this.width + this.atAt];
  }

  crew(held: Held, i: number): unknown {
    return held[FIRST + i * this.width + this.crewAt];
  }

  /** The first record from `lo` whose time is at or after `t`. */
  lowerBound(held: Held, t: number, lo: number): number {
    let hi = this.count(held);
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.time(held, mid) < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Distinct defined values in a range, leaving out `skip`; windows hold a handful, so pairs beat a Set. */
  countDistinct(held: Held, from: number, to: number, skip = -1): number {
    const { width } = this;
    const base = FIRST + VALUE;
    if (to - from > 16) {
      const seen = new Set<unknown>();
      for (let i = from; i < to; i++) {
        const v = held[base + i * width];
        if (i !== skip && v !== undefined) seen.add(v);
      }
      return seen.size;
    }
    let distinct = 0;
    outer: for (let i = from; i < to; i++) {
      const v = held[base + i * width];
      if (i === skip || v === undefined) continue;
      for (let j = from; j < i; j++) if (j !== skip && held[base + j * width] === v) continue outer;
      distinct += 1;
    }
    return distinct;
  }

  /** The amounts of a range, leaving out `skip`. */
  sum(held: Held, from: number, to: number, skip = -1): number {
    let sum = 0;
    for (let i = from; i < to; i++) if (i !== skip) sum += held[FIRST + i * this.width + this.amountAt] as number;
    return sum;
  }

  /** The distinct values of records `from` to `to`. */
  valuesIn(held: Held, from: number, to: number): Set<unknown> {
    const out = new Set<unknown>();
    for (let i = from; i < to; i++) {
      const v = held[FIRST + i * this.width + VALUE];
      if (v !== undefined) out.add(v);
    }
    return out;
  }

  /** A new key's array holding one record, `[start, ...record]`, with no slot to spare. */
  first(t: number, id: string, stamp: string, value: unknown, amount: number, place: string | undefined, person: string | undefined): Held {
    const { fields } = this;
    const high = Math.floor(t / LOW);
    const low = t - high * LOW;
    // The record's optional fields in their order, then one literal of the record's width
    // (shortening a longer array would leave it holey rather than give the slots back).
    const kept = stampOf(stamp, t);
    const extra: unknown[] = this.extra;
    let n = 0;
    if (fields.distinct) extra[n++] = value;
    if (fields.sum) extra[n++] = amount;
    if (fields.passages) extra[n++] = place;
    if (fields.crews) extra[n++] = person;
    const a = extra[0];
    const b = extra[1];
    const c = extra[2];
    const d = extra[3];
    // Four stores rather than `fill`, a call into the runtime on every new key.
    extra[0] = extra[1] = extra[2] = extra[3] = undefined;
    switch (n) {
      case 0:
        return [0, high, low, id, kept];
      case 1:
        return [0, high, low, id, kept, a];
      case 2:
        return [0, high, low, id, kept, a, b];
      case 3:
        return [0, high, low, id, kept, a, b, c];
      default:
        return [0, high, low, id, kept, a, b, c, d];
    }
  }

  /** Where a record at `t` goes in event-time order: nearly always at the end. */
  insertionPoint(held: Held, t: number): number {
    const start = held[START] as number;
    let at = this.count(held);
    while (at > start && this.time(held, at - 1) > t) at -= 1;
    return at;
  }

  /**
   * Inserts a record at position `at` (see {@link insertionPoint}); returns the key's array,
   * which for a key holding few records is a new one of exactly the size needed: an array
   * grown by V8 takes half its length again plus 16 slots, most never used (a document seen
   * twice in a month kept 26 slots for its 11).
   */
  insert(held: Held, at: number, t: number, id: string, stamp: string, value: unknown, amount: number, place: string | undefined, person: string | undefined): Held {
    const { fields } = this;
    const high = Math.floor(t / LOW);
    const low = t - high * LOW;
    if (at === this.count(held)) {
      let n = held.length;
      if (n < EXACT_UP_TO * this.width) {
        const grown = new Array<unknown>(n + this.width);
        for (let i = 0; i < n; i++) grown[i] = held[i];
        held = grown;
      }
      held[n++] = high;
      held[n++] = low;
      held[n++] = id;
      held[n++] = stampOf(stamp, t);
      if (fields.distinct) held[n++] = value;
      if (fields.sum) held[n++] = amount;
      if (fields.passages) held[n++] = place;
      if (fields.crews) held[n] = person;
    } else {
      const record: unknown[] = [high, low, id, stampOf(stamp, t)];
      if (fields.distinct) record.push(value);
      if (fields.sum) record.push(amount);
      if (fields.passages) record.push(place);
      if (fields.crews) record.push(person);
      held.splice(FIRST + at * this.width, 0, ...record);
    }
    return held;
  }

  /** Moves `start` past records older than `t`; cuts them off in place once they are half the array. */
  dropBefore(held: Held, t: number): void {
    const from = held[START] as number;
    // Nothing to drop, as on most events: the search, and the cut (done when `start` last moved), would change nothing.
    if (from < this.count(held) && this.time(held, from) >= t) return;
    const start = this.lowerBound(held, t, from);
    held[START] = start;
    if (start < 8 || start * 2 < this.count(held)) return;
    held.copyWithin(FIRST, FIRST + start * this.width);
    held.length -= start * this.width;
    held[START] = 0;
  }

  /** A key's records still in the window (those before `start` have left it), with `start` 0; values go through `saveValue`. */
  save(held: Held, saveValue: (value: unknown) => unknown): unknown[] {
    const start = held[START] as number;
    const saved = held.slice(start * this.width);
    saved[START] = 0;
    for (let i = start; i < this.count(held); i++) saved[FIRST + (i - start) * this.width + STAMP] = this.eventTime(held, i);
    if (this.fields.distinct) for (let b = FIRST + VALUE; b < saved.length; b += this.width) saved[b] = saveValue(saved[b]);
    return saved;
  }

  /** A saved key's array made live again, in place; values go through `restoreValue`. */
  restore(held: Held, restoreValue: (value: unknown) => unknown): Held {
    if (this.fields.distinct) for (let b = FIRST + VALUE; b < held.length; b += this.width) held[b] = restoreValue(held[b]);
    // A snapshot is JSON: a place or crew member an event did not have comes back as null, and
    // would count as a place of its own beside the live records' undefined.
    if (this.fields.passages) for (let b = FIRST + this.atAt; b < held.length; b += this.width) if (held[b] === null) held[b] = undefined;
    if (this.fields.crews) for (let b = FIRST + this.crewAt; b < held.length; b += this.width) if (held[b] === null) held[b] = undefined;
    return held;
  }
}

/** The event time of the record at array index `b`: high and low parts, both small integers stored inline. */
function timeAt(held: Held, b: number): number {
  return (held[b] as number) * LOW + (held[b + 1] as number);
}
