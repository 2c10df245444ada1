import type { Reading } from '../../../anomaly/detector.ts';
import type { DetectorSpec } from '../../../anomaly/detector-spec.ts';
import { bandedReading } from '../../../anomaly/count-band.ts';
import { zForConfidence } from '../../../anomaly/gaussian-tail.ts';
import { flat } from '../../../kernel/flat-string.ts';
import { KeyedDetectors, type KeyedSnapshot } from '../../../anomaly/keyed-detectors.ts';
import type { EnrichedEvent } from '../../../enrich/enriched.ts';
import type { Evidence } from '../../../state/condition.ts';
import { type EventLookup, type EventRefs, restoreTime, saveTime } from '../../../state/saved-state.ts';
import { type DeferredHit, type KeyedState, NO_HITS, type StatefulSpec } from '../../../state/stateful.ts';
import { BucketSeries, type SeriesPoint } from './bucket-series.ts';

type Value = (e: EnrichedEvent) => unknown;

export interface AnomalySpecInput {
  signature: string;
  key: Value;
  keySource: string;
  /** Undefined for `aggregate: count`, where each event counts one. */
  metric: Value | undefined;
  /** What the detector watches, for evidence: `count of events per 15m`, `derived.items[].kgPerPackage`. */
  measure: string;
  detector: DetectorSpec;
  everyMs: number | undefined;
  every: string | undefined;
  aggregate: 'count' | 'sum' | 'mean' | 'distinct';
  ttlMs: number;
  maxKeys: number;
  seriesLength: number;
}

/** What an anomaly indicator puts in an alert's evidence (`op: 'anomaly'`); the console draws it. */
export interface AnomalyEvidence {
  value: number;
  baseline: number;
  low: number;
  high: number;
  score: number;
  direction: 'high' | 'low' | null;
  /** Bucketed indicators: the bucket that was anomalous. */
  bucket?: { from: string; to: string };
  /** Bucketed indicators: the key's recent closed buckets, oldest first, this one last. */
  series?: SeriesPoint[];
}

/**
 * Anomaly indicators: a streaming detector per key (see src/anomaly). Per-event ones
 * fire on the event whose metric is anomalous. Bucketed ones count or add up the
 * metric per key and bucket of event time and feed each bucket to the detector once
 * the watermark has passed its end, empty buckets included; an anomalous bucket is a
 * deferred hit, raised about the key's newest event up to the bucket's end.
 *
 * Memory per key: the detector's (docs/anomaly.md: 0.6–5 KB by kind) plus, when
 * bucketed, the open buckets and its last `series` buckets, 40 bytes each (numbers in a ring; see bucket-series.ts).
 */
export function anomalySpec(input: AnomalySpecInput): StatefulSpec {
  return {
    signature: input.signature,
    horizonMs: input.ttlMs,
    createState: (ruleId, latenessMs) => (input.everyMs === undefined ? new PerEventAnomaly(input) : new BucketedAnomaly(input, ruleId, input.everyMs, latenessMs)),
  };
}

function evidenceOf(spec: AnomalySpecInput, key: string, reading: Reading, extra: Partial<AnomalyEvidence> = {}): Evidence[] {
  const actual: AnomalyEvidence = {
    value: reading.value,
    baseline: reading.baseline,
    low: reading.low,
    high: reading.high,
    score: reading.score,
    direction: reading.direction,
    ...extra,
  };
  return [
    { field: spec.keySource, op: 'anomaly key', actual: key },
    { field: spec.measure, op: 'anomaly', expected: `score ≥ ${spec.detector.threshold} (${spec.detector.kind})`, actual },
  ];
}

/** Pairs keys with metric values: both single, or lists of the same length. */
function observations(key: unknown, metric: unknown, each: (key: string, value: number) => void): void {
  if (Array.isArray(key)) {
    if (!Array.isArray(metric) || metric.length !== key.length) return;
    for (let i = 0; i < key.length; i++) {
      const k = key[i];
      const v = metric[i];
      if (typeof k === 'string' && k !== '' && typeof v === 'number' && Number.isFinite(v)) each(k, v);
    }
    return;
  }
  if (typeof key === 'string' && key !== '' && typeof metric === 'number' && Number.isFinite(metric)) each(key, metric);
}

class PerEventAnomaly implements KeyedState {
  private readonly detectors: KeyedDetectors;

  constructor(private readonly spec: AnomalySpecInput) {
    this.detectors = new KeyedDetectors({ spec: spec.detector, ttlMs: spec.ttlMs, maxKeys: spec.maxKeys });
  }

  get keys(): number {
    return this.detectors.size;
  }

  // The event being observed, for `observeOne`: bound once, so that no closure is made per event.
  private t = 0;
  private evidence: Evidence[] | null = null;
  private readonly observeOne = (key: string, value: number): void => {
    const reading = this.detectors.update(key, this.t, value);
    // The first anomalous observation of the event is its evidence.
    if (reading.anomalous && this.evidence === null) this.evidence = evidenceOf(this.spec, key, reading);
  };

  observe(enriched: EnrichedEvent, t: number): Evidence[] | null {
    this.t = t;
    this.evidence = null;
    observations(this.spec.key(enriched), this.spec.metric?.(enriched), this.observeOne);
    const { evidence } = this;
    this.evidence = null;
    return evidence;
  }

  describe(enriched: EnrichedEvent): Evidence[] {
    const key = this.spec.key(enriched);
    return [{ field: this.spec.keySource, op: 'anomaly key', actual: key ?? 'none (the key expression gave no string)' }, { field: this.spec.measure, op: 'detector', actual: this.spec.detector.kind }];
  }

  expire(): readonly DeferredHit[] {
    return NO_HITS;
  }

  sweep(): void {
    // KeyedDetectors forgets idle keys itself, on event time.
  }

  save(): KeyedSnapshot {
    return this.detectors.snapshot();
  }

  restore(saved: unknown): (value: unknown) => unknown {
    this.detectors.restore(saved as KeyedSnapshot);
    return (value) => value;
  }
}

/**
 * An open bucket as saved: `[start, count, sum, distinct values or null, its newest event's record]`
 * (snapshots written before buckets kept their newest event have `[start, count, sum, distinct values?]`).
 */
type SavedBucket = [number, number, number, string[] | null, number] | [number, number, number] | [number, number, number, string[]];
/**
 * A bucketed key as saved: key, next bucket, open buckets, the record of the newest event of
 * its fed buckets (null: none fed yet; older snapshots: the key's newest event), its newest
 * event time, series.
 */
type SavedBucketedKey = [string, number, SavedBucket[], number | null, number, SeriesPoint[]];

interface SavedBucketed {
  detectors: KeyedSnapshot;
  nextClose: number | null;
  keys: SavedBucketedKey[];
}

interface Bucket {
  count: number;
  sum: number;
  /** `aggregate: distinct`: the values seen in the bucket. */
  seen?: Set<string>;
  /** The bucket's newest event (ties: the greater event id): what its alert is about. */
  last: EnrichedEvent | undefined;
  lastMs: number;
}

interface BucketedKey {
  /** Start of the next bucket to feed the detector. */
  next: number;
  open: Map<number, Bucket>;
  /** The newest event of the buckets fed so far: what an empty bucket's alert is about. */
  fedLast: EnrichedEvent | undefined;
  /** The key's newest event time, for forgetting idle keys. */
  lastTimeMs: number;
  series: BucketSeries;
}

/** Whether an event at `t` is newer than a bucket's newest, in an order that does not depend on which arrived first. */
function newerThan(bucket: Bucket, t: number, enriched: EnrichedEvent): boolean {
  return bucket.last === undefined || t > bucket.lastMs || (t === bucket.lastMs && enriched.event.eventId > bucket.last.event.eventId);
}

/** A bucket as `rules explain` shows it: counts, not the set of values. */
function bucketShown(bucket: Bucket | undefined): { count: number; sum: number } {
  return bucket ? { count: bucket.count, sum: bucket.sum } : { count: 0, sum: 0 };
}

class BucketedAnomaly implements KeyedState {
  private readonly detectors: KeyedDetectors;
  private readonly byKey = new Map<string, BucketedKey>();
  /** The earliest end of a bucket not yet fed: nothing to do before the watermark reaches it. */
  private nextClose = Number.POSITIVE_INFINITY;
  /** The threshold's |z|, for count bands: one bucket after another is banded against it. */
  private readonly zBand: number;
  /** What {@link counted} returns: overwritten by the next bucket, as a detector's reading is. */
  private readonly banded: Reading = { score: 0, value: 0, baseline: 0, low: 0, high: 0, anomalous: false, warm: false, direction: null };

  constructor(
    private readonly spec: AnomalySpecInput,
    private readonly ruleId: string,
    private readonly everyMs: number,
    latenessMs: number,
  ) {
    // Bucket times reach back by up to the lateness; the detectors' TTL must allow for it.
    this.detectors = new KeyedDetectors({ spec: spec.detector, ttlMs: spec.ttlMs + latenessMs, maxKeys: spec.maxKeys });
    this.zBand = zForConfidence(spec.detector.threshold);
  }

  get keys(): number {
    return this.byKey.size;
  }

  /**
   * Counts (of events, or of distinct values) get a count's band (whole numbers, never below zero, skewed as counts are;
   * see count-band.ts), and a bucket is anomalous only outside it: a Gaussian band on
   * small counts calls a normal quiet hour unusual.
   */
  private counted(reading: Reading): Reading {
    if (this.spec.aggregate !== 'count' && this.spec.aggregate !== 'distinct') return reading;
    return bandedReading(reading, this.spec.detector.threshold, this.zBand, this.banded);
  }

  // The event being observed, for `observeOne`: bound once, so that no closure is made per event.
  private t = 0;
  private enriched: EnrichedEvent | undefined;
  private readonly observeOne = (key: string, value: number): void => {
    const { t } = this;
    const enriched = this.enriched!;
    const start = Math.floor(t / this.everyMs) * this.everyMs;
    let state = this.byKey.get(flat(key));
    if (!state) {
      if (this.byKey.size >= this.spec.maxKeys) return;
      state = { next: start, open: new Map(), fedLast: undefined, lastTimeMs: t, series: new BucketSeries(this.spec.seriesLength) };
      this.byKey.set(key, state);
    }
    if (start < state.next) return; // a bucket already fed: only late events can reach it, and they do not come here
    let bucket = state.open.get(start);
    if (!bucket) state.open.set(start, (bucket = this.spec.aggregate === 'distinct' ? { count: 0, sum: 0, seen: new Set(), last: undefined, lastMs: t } : { count: 0, sum: 0, last: undefined, lastMs: t }));
    if (bucket.seen) {
      // Distinct: the bucket counts a value once, however many of its events carry it. One
      // `add`, its size telling whether the value was new: a second hash of the value per event saved.
      if (this.distinctValue !== undefined) {
        const before = bucket.seen.size;
        if (bucket.seen.add(this.distinctValue).size !== before) bucket.count += 1;
      }
    } else {
      bucket.count += 1;
      bucket.sum += value;
    }
    if (newerThan(bucket, t, enriched)) {
      bucket.last = enriched;
      bucket.lastMs = t;
    }
    if (t > state.lastTimeMs) state.lastTimeMs = t;
    if (state.next + this.everyMs < this.nextClose) this.nextClose = state.next + this.everyMs;
  };

  observe(enriched: EnrichedEvent, t: number): Evidence[] | null {
    this.t = t;
    this.enriched = enriched;
    if (this.spec.aggregate === 'distinct') {
      const value = this.spec.metric?.(enriched);
      const key = this.spec.key(enriched);
      if (typeof value === 'string' && value !== '' && typeof key === 'string' && key !== '') {
        this.distinctValue = flat(value);
        this.observeOne(key, 1);
        this.distinctValue = undefined;
      }
    } else observations(this.spec.key(enriched), this.spec.metric?.(enriched) ?? 1, this.observeOne);
    this.enriched = undefined;
    return null;
  }

  /** The distinct-aggregate value of the event being observed. */
  private distinctValue: string | undefined;

  describe(enriched: EnrichedEvent, t: number): Evidence[] {
    const key = this.spec.key(enriched);
    const state = typeof key === 'string' ? this.byKey.get(key) : undefined;
    const start = Math.floor(t / this.everyMs) * this.everyMs;
    return [
      { field: this.spec.keySource, op: 'anomaly key', actual: key ?? 'none (the key expression gave no string)' },
      { field: this.spec.measure, op: 'bucket so far', actual: bucketShown(state?.open.get(start)) },
      { field: this.spec.measure, op: 'recent buckets', actual: state?.series.points() ?? [] },
    ];
  }

  expire(watermark: number): readonly DeferredHit[] {
    if (watermark < this.nextClose) return NO_HITS;
    let hits: DeferredHit[] | undefined;
    let nextClose = Number.POSITIVE_INFINITY;
    for (const [key, state] of this.byKey) {
      // Feed every bucket the watermark has passed, empty ones as zero (mean: skipped).
      while (state.next + this.everyMs <= watermark) {
        const start = state.next;
        state.next += this.everyMs;
        const bucket = state.open.get(start);
        if (bucket) {
          state.open.delete(start);
          state.fedLast = bucket.last;
        }
        const { aggregate } = this.spec;
        const value = aggregate === 'count' || aggregate === 'distinct' ? (bucket?.count ?? 0) : aggregate === 'sum' ? (bucket?.sum ?? 0) : bucket ? bucket.sum / bucket.count : undefined;
        if (value === undefined) continue;
        const reading = this.counted(this.detectors.update(key, start, value));
        state.series.push(start, reading.value, reading.baseline, reading.low, reading.high);
        // About the newest event up to the bucket's end, not the newest seen when the watermark
        // passed it: that depends on how far other posts had got, and the alert must not.
        // A key's first bucket has an event, so an empty one always has fed ones before it.
        const about = bucket?.last ?? state.fedLast;
        if (reading.anomalous && about) {
          const from = new Date(start).toISOString();
          (hits ??= []).push({
            ruleId: this.ruleId,
            enriched: about,
            evidence: evidenceOf(this.spec, key, reading, { bucket: { from, to: new Date(start + this.everyMs).toISOString() }, series: state.series.points() }),
            alertId: `alert:${this.ruleId}:${key}:${from}`,
            subject: bucketSubject(this.spec, key, reading, start, start + this.everyMs, about.event.eventTime),
          });
        }
      }
      if (state.next + this.everyMs < nextClose) nextClose = state.next + this.everyMs;
    }
    this.nextClose = nextClose;
    return hits ?? NO_HITS;
  }

  sweep(watermark: number): void {
    for (const [key, state] of this.byKey) {
      if (watermark - state.lastTimeMs > this.spec.ttlMs) this.byKey.delete(key);
    }
  }

  save(refs: EventRefs): SavedBucketed {
    const keys: SavedBucketedKey[] = [];
    // In map order: `expire` feeds keys in this order, and so orders their alerts.
    for (const [key, s] of this.byKey) {
      const open: SavedBucket[] = [];
      // An open bucket has had an event: its newest is set.
      for (const [start, b] of s.open) open.push([start, b.count, b.sum, b.seen ? [...b.seen] : null, refs.ref(b.last!)]);
      keys.push([key, s.next, open, s.fedLast ? refs.ref(s.fedLast) : null, s.lastTimeMs, s.series.points()]);
    }
    return { detectors: this.detectors.snapshot(), nextClose: saveTime(this.nextClose), keys };
  }

  restore(saved: unknown, events: EventLookup): (value: unknown) => unknown {
    const { detectors, nextClose, keys } = saved as SavedBucketed;
    this.detectors.restore(detectors);
    this.nextClose = restoreTime(nextClose, Number.POSITIVE_INFINITY);
    this.byKey.clear();
    for (const [key, next, open, last, lastTimeMs, series] of keys) {
      const fedLast = last === null ? undefined : events(last);
      const buckets = open.map(([start, count, sum, seen, newest]): [number, Bucket] => {
        // Saved before buckets kept their newest event: the key's newest stands in, as it did then.
        const bucketLast = newest === undefined ? fedLast : events(newest);
        const lastMs = bucketLast?.derived.eventTimeMs ?? start;
        return [start, seen ? { count, sum, seen: new Set(seen), last: bucketLast, lastMs } : { count, sum, last: bucketLast, lastMs }];
      });
      this.byKey.set(key, { next, open: new Map(buckets), fedLast, lastTimeMs, series: BucketSeries.from(series, this.spec.seriesLength) });
    }
    return (value) => value;
  }
}

const SUBJECT_NUMBER = new Intl.NumberFormat('en', { maximumSignificantDigits: 3 });

/**
 * A bucketed anomaly's subject, read as a sentence: the key, the value, the bucket in the
 * post's own time (the offset of the key's newest event) and the usual value:
 * `TM-IMAMNAZAR: 14 events per 15m on 02 Nov 06:00–06:15 +05:00 (usually about 3)`.
 */
export function bucketSubject(spec: Pick<AnomalySpecInput, 'measure'>, key: string, reading: Pick<Reading, 'value' | 'baseline'>, fromMs: number, toMs: number, eventTime: string): string {
  const offset = /(Z|[+-]\d{2}:\d{2})$/.exec(eventTime)?.[1] ?? 'Z';
  const minutes = offset === 'Z' ? 0 : (offset.startsWith('-') ? -1 : 1) * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)));
  const local = (ms: number): Date => new Date(ms + minutes * 60_000);
  const month = local(fromMs).toLocaleString('en', { month: 'short', timeZone: 'UTC' });
  const hhmm = (d: Date): string => d.toISOString().slice(11, 16);
  const from = local(fromMs);
  const to = local(toMs);
  const value = Number.isInteger(reading.value) ? String(reading.value) : SUBJECT_NUMBER.format(reading.value);
  // `events per 15m` (or a rule's own unit, `arrivals per 15m`) reads after the number; other measures (`sum of X per 1h`) read as `X = n`.
  const measured = /^[a-z][a-z-]* per /.test(spec.measure) ? `${value} ${spec.measure}` : `${spec.measure} = ${value}`;
  const usual = Number.isFinite(reading.baseline) ? ` (usually about ${SUBJECT_NUMBER.format(reading.baseline)})` : '';
  return `${key}: ${measured} on ${String(from.getUTCDate()).padStart(2, '0')} ${month} ${hhmm(from)}–${hhmm(to)} ${offset === 'Z' ? 'UTC' : offset}${usual}`;
}
