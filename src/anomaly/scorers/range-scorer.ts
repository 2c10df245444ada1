import type { Reading } from '../reading.ts';
import type { DetectorSpec } from '../detector-spec.ts';
import { alphaForHalfLife } from '../running-moments.ts';
import { RunningRange, type RangeState } from '../running-range.ts';
import { type Scorer, unjudged } from './scorer.ts';

type RangeSpec = Extract<DetectorSpec, { kind: 'range' }>;

/**
 * The running-range rule (running-range.ts) as a score: a value that leaves the range
 * by a share e of it scores e / (e + fraction), so the plain rule "more than `fraction`
 * of the range" is a threshold of 0.5, and larger departures score nearer 1.
 */
export class RangeScorer implements Scorer {
  private readonly range: RunningRange;
  /** The share of the range a value must leave it by to reach the threshold. */
  private readonly reach: number;

  constructor(
    private readonly spec: RangeSpec,
    state?: RangeState,
  ) {
    this.range = new RunningRange(spec.halfLife === undefined ? 0 : alphaForHalfLife(spec.halfLife), state);
    this.reach = spec.threshold >= 1 ? Number.POSITIVE_INFINITY : (spec.fraction * spec.threshold) / (1 - spec.threshold);
  }

  update(_timeMs: number, x: number, out: Reading): void {
    const r = this.range;
    if (r.n === 0) unjudged(x, out);
    else {
      const side = x > r.max ? 'high' : x < r.min ? 'low' : null;
      const watched = side !== null && (this.spec.direction === 'both' || this.spec.direction === side);
      const e = watched ? r.excess(x) : 0;
      out.score = e === Number.POSITIVE_INFINITY ? 1 : e / (e + this.spec.fraction);
      out.baseline = (r.min + r.max) / 2;
      const width = r.max - r.min;
      out.low = this.reach === Number.POSITIVE_INFINITY ? Number.NEGATIVE_INFINITY : r.min - this.reach * width;
      out.high = this.reach === Number.POSITIVE_INFINITY ? Number.POSITIVE_INFINITY : r.max + this.reach * width;
      out.direction = side;
    }
    r.push(x);
  }

  save(): RangeState {
    return this.range.save();
  }
}
