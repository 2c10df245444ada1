import type { Reading } from '../reading.ts';
import type { DetectorSpec } from '../detector-spec.ts';
import { confidence, standardise, zForConfidence } from '../gaussian-tail.ts';
import { RobustLocation, type RobustState } from '../robust-location.ts';
import { alphaForHalfLife } from '../running-moments.ts';
import { directedZ, type Scorer, sideOf, unjudged } from './scorer.ts';

type RobustSpec = Extract<DetectorSpec, { kind: 'robust' }>;

/**
 * Distance from the streaming median in σ-equivalents of the streaming MAD
 * (robust-location.ts): outliers neither drag the baseline nor widen the band much, so
 * the second of two spikes is caught as surely as the first.
 */
export class RobustScorer implements Scorer {
  private readonly location: RobustLocation;
  private readonly zBand: number;

  constructor(
    private readonly spec: RobustSpec,
    state?: RobustState,
  ) {
    this.location = new RobustLocation(2 * alphaForHalfLife(spec.halfLife), state);
    this.zBand = zForConfidence(spec.threshold);
  }

  update(_timeMs: number, x: number, out: Reading): void {
    const l = this.location;
    if (l.n === 0) unjudged(x, out);
    else {
      const sd = l.sd;
      out.score = confidence(directedZ(standardise(x - l.median, sd), this.spec.direction));
      out.baseline = l.median;
      out.low = l.median - this.zBand * sd;
      out.high = l.median + this.zBand * sd;
      out.direction = sideOf(x, l.median);
    }
    l.push(x);
  }

  save(): RobustState {
    return this.location.save();
  }
}
