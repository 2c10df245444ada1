// @ts-check
import { postHour } from './format.js';
import { NEW_TRIAGE, SEVERITIES } from './wire.js';

/** @typedef {import('./wire.js').Alert} Alert */
/** @typedef {import('./wire.js').HeldAlert} HeldAlert */
/** @typedef {import('./wire.js').Muted} Muted */
/** @typedef {import('./wire.js').TriageState} TriageState */

const HOUR_MS = 3_600_000;

/**
 * The alerts the page holds, newest first by sequence number, with their triage and a
 * running count per hour of event time and severity for the chart. Adding an alert
 * in sequence order (the usual case) costs O(1); views read rows by position, so a
 * list of thousands is never copied to be drawn.
 */
export class AlertModel {
  /** @type {Map<number, HeldAlert>} */
  #bySeq = new Map();
  /**
   * Held sequence numbers, oldest first.
   * @type {number[]}
   */
  #seqs = [];
  /**
   * Hour (ms since the epoch, UTC) → count per severity, in SEVERITIES order.
   * @type {Map<number, number[]>}
   */
  #hourly = new Map();
  #maxHeld;
  /** Bumped on every change; views redraw when it moves. */
  version = 0;
  /**
   * Posts, rules (id → title) and tags seen in any alert since the page opened, for the
   * filter bar's suggestions; `seenVersion` moves when one is added.
   */
  seen = { posts: new Set(/** @type {string[]} */ ([])), rules: new Map(/** @type {[string, string][]} */ ([])), tags: new Set(/** @type {string[]} */ ([])) };
  seenVersion = 0;

  /** @param {{ maxHeld?: number }} [options] `maxHeld` @default 10_000 */
  constructor(options = {}) {
    const { maxHeld = 10_000 } = options;
    if (!Number.isInteger(maxHeld) || maxHeld < 1) throw new RangeError(`maxHeld must be a positive integer, got ${maxHeld}`);
    this.#maxHeld = maxHeld;
  }

  get size() {
    return this.#seqs.length;
  }

  /** The newest held sequence number, or 0. */
  get newestSeq() {
    return this.#seqs.at(-1) ?? 0;
  }

  /**
   * Adds an alert, or replaces the one held under its sequence number (a refetch may
   * bring a newer triage state). Returns whether it was new.
   * @param {number} seq
   * @param {Alert} alert
   * @param {TriageState} [triage]
   * @param {Muted} [muted] why a silence or an inhibition rule kept it off the live feed
   */
  put(seq, alert, triage = NEW_TRIAGE, muted = undefined) {
    const held = this.#bySeq.get(seq);
    this.version++;
    if (held) {
      if (held.alert.eventTime !== alert.eventTime || held.alert.severity !== alert.severity) {
        this.#count(held.alert, -1);
        this.#count(alert, 1);
      }
      held.alert = alert;
      held.triage = triage;
      if (muted) held.muted = muted;
      return false;
    }
    this.#bySeq.set(seq, muted ? { seq, alert, triage, muted } : { seq, alert, triage });
    this.#count(alert, 1);
    this.#see(alert);
    const last = this.#seqs.at(-1);
    if (last === undefined || seq > last) this.#seqs.push(seq);
    else this.#seqs.splice(lowerBound(this.#seqs, seq), 0, seq);
    while (this.#seqs.length > this.#maxHeld) this.#remove(/** @type {number} */ (this.#seqs[0]), 0);
    return true;
  }

  /**
   * @param {number} seq
   * @param {TriageState} triage
   * @returns {boolean} whether the alert is held
   */
  setTriage(seq, triage) {
    const held = this.#bySeq.get(seq);
    if (!held) return false;
    held.triage = triage;
    this.version++;
    return true;
  }

  /** @param {number} seq */
  get(seq) {
    return this.#bySeq.get(seq);
  }

  /**
   * The alert at a position, newest first (0 is the newest).
   * @param {number} index
   */
  at(index) {
    const seq = this.#seqs[this.#seqs.length - 1 - index];
    return seq === undefined ? undefined : this.#bySeq.get(seq);
  }

  /**
   * The position of an alert, newest first, or -1.
   * @param {number} seq
   */
  indexOf(seq) {
    if (!this.#bySeq.has(seq)) return -1;
    return this.#seqs.length - 1 - lowerBound(this.#seqs, seq);
  }

  /**
   * Keeps only the alerts that pass `keep`.
   * @param {(alert: Alert, held: HeldAlert) => boolean} keep
   */
  retain(keep) {
    const kept = [];
    for (const seq of this.#seqs) {
      const held = /** @type {HeldAlert} */ (this.#bySeq.get(seq));
      if (keep(held.alert, held)) kept.push(seq);
      else this.#forget(held);
    }
    if (kept.length !== this.#seqs.length) {
      this.#seqs = kept;
      this.version++;
    }
  }

  /**
   * Forgets every alert with a sequence number up to `seq`.
   * @param {number} seq
   */
  dropThrough(seq) {
    const end = lowerBound(this.#seqs, seq + 1);
    if (end === 0) return;
    for (const s of this.#seqs.slice(0, end)) this.#forget(/** @type {HeldAlert} */ (this.#bySeq.get(s)));
    this.#seqs.splice(0, end);
    this.version++;
  }

  clear() {
    this.#bySeq.clear();
    this.#seqs = [];
    this.#hourly.clear();
    this.version++;
  }

  /**
   * Counts per severity for each hour of event time at the post (`postHour`) from the
   * oldest held alert's hour to the newest's, but at least `min` and at most `max` hours,
   * ending with the newest (event time, not the wall clock, so a replay draws the same
   * chart at any speed).
   * @param {number} min
   * @param {number} max
   * @returns {{ start: number, counts: number[] }[]} oldest first; `start` the post hour (`postHour`)
   */
  hourly(min, max) {
    let newest = -Infinity;
    let oldest = Infinity;
    for (const hour of this.#hourly.keys()) {
      if (hour > newest) newest = hour;
      if (hour < oldest) oldest = hour;
    }
    if (newest === -Infinity) return [];
    const hours = Math.min(max, Math.max(min, (newest - oldest) / HOUR_MS + 1));
    return Array.from({ length: hours }, (_, i) => {
      const start = newest - (hours - 1 - i) * HOUR_MS;
      return { start, counts: [...(this.#hourly.get(start) ?? SEVERITIES.map(() => 0))] };
    });
  }

  /** @param {Alert} alert */
  #see(alert) {
    const { posts, rules, tags } = this.seen;
    const before = posts.size + rules.size + tags.size;
    posts.add(alert.post);
    for (const indicator of alert.indicators) {
      if (!rules.has(indicator.id)) rules.set(indicator.id, indicator.title);
      for (const tag of indicator.tags) tags.add(tag);
    }
    if (posts.size + rules.size + tags.size !== before) this.seenVersion++;
  }

  /**
   * @param {number} seq
   * @param {number} index where `seq` sits in #seqs
   */
  #remove(seq, index) {
    const held = this.#bySeq.get(seq);
    if (held) this.#forget(held);
    this.#seqs.splice(index, 1);
  }

  /** @param {HeldAlert} held */
  #forget(held) {
    this.#bySeq.delete(held.seq);
    this.#count(held.alert, -1);
  }

  /**
   * @param {Alert} alert
   * @param {1 | -1} delta
   */
  #count(alert, delta) {
    // Hours at the post, as every event time on the page is (format.js).
    const hour = postHour(alert.eventTime);
    if (Number.isNaN(hour)) return;
    let counts = this.#hourly.get(hour);
    if (!counts) this.#hourly.set(hour, (counts = SEVERITIES.map(() => 0)));
    const i = SEVERITIES.indexOf(alert.severity);
    counts[i] = (counts[i] ?? 0) + delta;
    if (counts.every((n) => n === 0)) this.#hourly.delete(hour);
  }
}

/**
 * The first index whose value is ≥ `value` in an ascending array.
 * @param {readonly number[]} sorted
 * @param {number} value
 */
function lowerBound(sorted, value) {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (/** @type {number} */ (sorted[mid]) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
