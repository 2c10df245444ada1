import type { EnrichedEvent } from '../../enrich/enriched.ts';
import type { Evidence } from '../../rules/condition.ts';
import type { KeySlot, KeyTable } from './key-table.ts';
import { type DeferredHit, type KeyedState, NO_HITS, type StatefulSpec } from './stateful.ts';

type Value = (e: EnrichedEvent) => unknown;

export interface WindowSpecInput {
  signature: string;
  key: Value;
  keySource: string;
  withinMs: number;
  within: string;
  count?: { atLeast?: number | undefined; atMost?: number | undefined };
  distinct?: { of: Value; source: string; atLeast: number };
  sum?: { of: Value; source: string; atLeast: number };
}

/**
 * Entries of one key, sorted by event time, as parallel arrays (no object per entry).
 * Entries before `start` have left the window; they are cut off in place now and then
 * rather than spliced out on every event, which allocated an array per column per event.
 * `values` and `amounts` exist only for windows that count distinct values or sum.
 */
interface Entries {
  start: number;
  times: number[];
  ids: string[];
  /** The events' own eventTime strings (shared, not copied), for evidence. */
  stamps: string[];
  values: unknown[] | null;
  amounts: number[] | null;
}

interface Measure {
  from: number;
  to: number;
  count: number;
  distinct: number;
  sum: number;
  satisfied: boolean;
}

const HELD_SHOWN = 20;

/**
 * Count, distinct count and sum over a sliding event-time window per key. Memory per
 * key: a slot in its key table's entry and four arrays, about 150 bytes plus ~40 bytes
 * per event held.
 */
export function windowSpec(input: WindowSpecInput): StatefulSpec {
  return {
    signature: input.signature,
    horizonMs: input.withinMs,
    keySource: input.keySource,
    createState: (_ruleId, _latenessMs, keys) => new WindowState(input, keys!),
  };
}

class WindowState implements KeyedState {
  private readonly byKey: KeySlot<Entries>;
  constructor(
    private readonly spec: WindowSpecInput,
    keys: KeyTable,
  ) {
    // A window whose newest event is older than the watermark minus its length holds nothing any future on-time event counts.
    this.byKey = keys.slot<Entries>(spec.withinMs, (entries, watermark) => entries.times[entries.times.length - 1]! < watermark - spec.withinMs);
  }

  get keys(): number {
    return this.byKey.size;
  }

  get slot(): KeySlot<Entries> {
    return this.byKey;
  }

  observe(enriched: EnrichedEvent, t: number, watermark: number): Evidence[] | null {
    const { spec } = this;
    const key = spec.key(enriched);
    if (typeof key !== 'string' || key === '') return null;
    let entries = this.byKey.get(key, enriched);
    if (!entries) {
      entries = { start: 0, times: [], ids: [], stamps: [], values: spec.distinct ? [] : null, amounts: spec.sum ? [] : null };
      this.byKey.set(key, enriched, entries);
    }
    const value = spec.distinct ? spec.distinct.of(enriched) : undefined;
    const amount = spec.sum ? Number(spec.sum.of(enriched) ?? 0) : 0;
    const { event } = enriched;
    // No on-time event can reach back past the watermark minus the window: what is older leaves.
    dropBefore(entries, watermark - spec.withinMs);
    const at = insertSorted(entries, t, event.eventId, event.eventTime, value, Number.isFinite(amount) ? amount : 0);
    const here = this.measure(entries, t, -1);
    if (here.satisfied) return this.evidence(key, entries, here);
    // An event that arrived after later ones (within the allowed lateness) may complete the
    // window of the newest event: fire if it is what makes that window reach the thresholds.
    const newest = entries.times.length - 1;
    if (at < newest) {
      const later = this.measure(entries, entries.times[newest]!, -1);
      if (later.satisfied && !this.measure(entries, entries.times[newest]!, at).satisfied) return this.evidence(key, entries, later);
    }
    return null;
  }

  /** Count, distinct and sum of the window ending at `tEnd`, leaving out entry `skip` (-1: none). */
  private measure(entries: Entries, tEnd: number, skip: number): Measure {
    const { spec } = this;
    const from = lowerBound(entries.times, tEnd - spec.withinMs, entries.start);
    let to = entries.times.length;
    while (to > from && entries.times[to - 1]! > tEnd) to -= 1;
    const count = to - from - (skip >= from && skip < to ? 1 : 0);
    let satisfied = !(spec.count && ((spec.count.atLeast !== undefined && count < spec.count.atLeast) || (spec.count.atMost !== undefined && count > spec.count.atMost)));
    let distinct = 0;
    if (satisfied && spec.distinct) {
      distinct = countDistinct(entries.values!, from, to, skip);
      satisfied = distinct >= spec.distinct.atLeast;
    }
    let sum = 0;
    if (satisfied && spec.sum) {
      for (let i = from; i < to; i++) if (i !== skip) sum += entries.amounts![i]!;
      satisfied = sum >= spec.sum.atLeast;
    }
    return { from, to, count, distinct, sum, satisfied };
  }

  private evidence(key: string, entries: Entries, m: Measure): Evidence[] {
    const { spec } = this;
    const evidence: Evidence[] = [{ field: spec.keySource, op: 'window key', actual: key }];
    if (spec.count?.atLeast !== undefined) evidence.push({ field: `events within ${spec.within}`, op: '>=', expected: spec.count.atLeast, actual: m.count });
    if (spec.count?.atMost !== undefined) evidence.push({ field: `events within ${spec.within}`, op: '<=', expected: spec.count.atMost, actual: m.count });
    if (spec.distinct) evidence.push({ field: `distinct ${spec.distinct.source} within ${spec.within}`, op: '>=', expected: spec.distinct.atLeast, actual: m.distinct });
    if (spec.sum) evidence.push({ field: `sum of ${spec.sum.source} within ${spec.within}`, op: '>=', expected: spec.sum.atLeast, actual: m.sum });
    const held = [];
    for (let i = Math.max(m.from, m.to - HELD_SHOWN); i < m.to; i++) {
      held.push({ eventId: entries.ids[i], eventTime: entries.stamps[i], ...(entries.values && { value: entries.values[i] }), ...(entries.amounts && { amount: entries.amounts[i] }) });
    }
    evidence.push({ field: 'window held', op: 'events', actual: held });
    return evidence;
  }

  describe(enriched: EnrichedEvent, t: number): Evidence[] {
    const { spec } = this;
    const key = spec.key(enriched);
    if (typeof key !== 'string' || key === '') return [{ field: spec.keySource, op: 'window key', actual: 'none (the key expression gave no string)' }];
    const entries = this.byKey.get(key, enriched);
    const from = entries ? lowerBound(entries.times, t - spec.withinMs, entries.start) : 0;
    let to = entries?.times.length ?? 0;
    while (entries && to > from && entries.times[to - 1]! > t) to -= 1;
    const evidence: Evidence[] = [{ field: spec.keySource, op: 'window key', actual: key }];
    evidence.push({ field: `events within ${spec.within}`, op: 'now', ...(spec.count?.atLeast !== undefined && { expected: spec.count.atLeast }), actual: to - from });
    if (spec.distinct && entries?.values) evidence.push({ field: `distinct ${spec.distinct.source} within ${spec.within}`, op: 'now', expected: spec.distinct.atLeast, actual: countDistinct(entries.values, from, to) });
    if (spec.sum && entries?.amounts) {
      let sum = 0;
      for (let i = from; i < to; i++) sum += entries.amounts[i]!;
      evidence.push({ field: `sum of ${spec.sum.source} within ${spec.within}`, op: 'now', expected: spec.sum.atLeast, actual: sum });
    }
    return evidence;
  }

  expire(): readonly DeferredHit[] {
    return NO_HITS;
  }

  sweep(): void {
    // The key table sweeps.
  }
}

/** Inserts in event-time order (nearly always at the end) and returns the position. */
function insertSorted(entries: Entries, t: number, id: string, stamp: string, value: unknown, amount: number): number {
  let at = entries.times.length;
  while (at > entries.start && entries.times[at - 1]! > t) at -= 1;
  if (at === entries.times.length) {
    entries.times.push(t);
    entries.ids.push(id);
    entries.stamps.push(stamp);
    entries.values?.push(value);
    entries.amounts?.push(amount);
  } else {
    entries.times.splice(at, 0, t);
    entries.ids.splice(at, 0, id);
    entries.stamps.splice(at, 0, stamp);
    entries.values?.splice(at, 0, value);
    entries.amounts?.splice(at, 0, amount);
  }
  return at;
}

/** Moves `start` past entries older than `t`; cuts them off in place once they are half the arrays. */
function dropBefore(entries: Entries, t: number): void {
  entries.start = lowerBound(entries.times, t, entries.start);
  const { start } = entries;
  if (start < 8 || start * 2 < entries.times.length) return;
  for (const column of [entries.times, entries.ids, entries.stamps, entries.values, entries.amounts]) {
    if (!column) continue;
    column.copyWithin(0, start);
    column.length -= start;
  }
  entries.start = 0;
}

/** Distinct defined values in a range; windows hold a handful, so pairs beat a Set. */
function countDistinct(values: readonly unknown[], from: number, to: number, skip = -1): number {
  if (to - from > 16) {
    const seen = new Set<unknown>();
    for (let i = from; i < to; i++) if (i !== skip && values[i] !== undefined) seen.add(values[i]);
    return seen.size;
  }
  let distinct = 0;
  outer: for (let i = from; i < to; i++) {
    const v = values[i];
    if (i === skip || v === undefined) continue;
    for (let j = from; j < i; j++) if (j !== skip && values[j] === v) continue outer;
    distinct += 1;
  }
  return distinct;
}

function lowerBound(times: readonly number[], t: number, lo = 0): number {
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
