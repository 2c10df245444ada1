/**
 * One streaming anomaly detector for one series (one key): O(1) work per update and a
 * few hundred bytes of state (7 KB for the composite with its day and week cells, 4 KB for the weekly seasonal kind). What differs by kind lives in
 * a scorer (scorers/); warm-up, threshold and refractory period are applied here, the
 * same way for every kind.
 */
import { ConfigError } from '../errors.ts';
import type { DetectorKind, DetectorSpec } from './detector-spec.ts';
import { CompositeScorer } from './scorers/composite-scorer.ts';
import { CusumScorer } from './scorers/cusum-scorer.ts';
import { RangeScorer } from './scorers/range-scorer.ts';
import { RobustScorer } from './scorers/robust-scorer.ts';
import type { Scorer } from './scorers/scorer.ts';
import { SeasonalScorer } from './scorers/seasonal-scorer.ts';
import { ZscoreScorer } from './scorers/zscore-scorer.ts';
import type { Reading } from './reading.ts';

export type { Reading } from './reading.ts';

export interface Detector {
  /**
   * Scores `value` against what the detector has learnt, then learns from it. The
   * returned Reading is the detector's own object, overwritten by the next update (the
   * hot path allocates nothing): copy it (`{ ...reading }`) to keep it. A value or time
   * that is not a finite number is not learnt from and reads as score 0.
   */
  update(timeMs: number, value: number): Reading;
  /** The detector's whole state as plain JSON; {@link createDetector} continues from it. */
  snapshot(): DetectorSnapshot;
}

export interface DetectorSnapshot {
  version: 1;
  kind: DetectorKind;
  /** Updates learnt from so far. */
  updates: number;
  /** Updates left in the refractory period. */
  quiet: number;
  /** The scorer's state; its shape depends on the kind. */
  state: unknown;
}

/**
 * Builds a detector from a parsed spec (`DetectorSpecSchema.parse`), or continues one
 * from its snapshot: the restored detector gives exactly the readings the saved one
 * would have. A snapshot of another kind is a ConfigError.
 */
export function createDetector(spec: DetectorSpec, snapshot?: DetectorSnapshot): Detector {
  if (snapshot && (snapshot.version !== 1 || snapshot.kind !== spec.kind)) {
    throw new ConfigError(`cannot restore a ${String(snapshot.kind)} detector snapshot (version ${String(snapshot.version)}) into a ${spec.kind} detector`);
  }
  return new GatedDetector(spec, createScorer(spec, snapshot?.state), snapshot);
}

function createScorer(spec: DetectorSpec, state: unknown): Scorer {
  // The snapshot's state was written by the same scorer kind (checked above); its shape
  // is that scorer's own save() type.
  const s = state as never;
  switch (spec.kind) {
    case 'zscore':
      return new ZscoreScorer(spec, s);
    case 'seasonal':
      return new SeasonalScorer(spec, s);
    case 'robust':
      return new RobustScorer(spec, s);
    case 'cusum':
      return new CusumScorer(spec, s);
    case 'range':
      return new RangeScorer(spec, s);
    case 'composite':
      return new CompositeScorer(spec, s);
  }
}

class GatedDetector implements Detector {
  private updates = 0;
  private quiet = 0;
  private readonly reading: Reading = { score: 0, value: 0, baseline: 0, low: 0, high: 0, anomalous: false, warm: false, direction: null };
  private readonly threshold: number;
  private readonly warmup: number;
  private readonly refractory: number;

  constructor(
    private readonly spec: DetectorSpec,
    private readonly scorer: Scorer,
    snapshot: DetectorSnapshot | undefined,
  ) {
    this.threshold = spec.threshold;
    this.warmup = spec.warmup;
    this.refractory = spec.refractory;
    if (snapshot) {
      this.updates = snapshot.updates;
      this.quiet = snapshot.quiet;
    }
  }

  update(timeMs: number, value: number): Reading {
    const r = this.reading;
    r.value = value;
    r.anomalous = false;
    if (!Number.isFinite(value) || !Number.isFinite(timeMs)) {
      // Nothing learnt from a value that is not a number: one bad value must not poison
      // the baseline for every value after it.
      r.score = 0;
      r.baseline = r.low = r.high = Number.NaN;
      r.direction = null;
      r.warm = this.updates >= this.warmup;
      return r;
    }
    this.scorer.update(timeMs, value, r);
    this.updates += 1;
    r.warm = this.updates > this.warmup;
    if (this.quiet > 0) this.quiet -= 1;
    else if (r.warm && r.score >= this.threshold) {
      r.anomalous = true;
      this.quiet = this.refractory;
    }
    return r;
  }

  snapshot(): DetectorSnapshot {
    return { version: 1, kind: this.spec.kind, updates: this.updates, quiet: this.quiet, state: this.scorer.save() };
  }
}
