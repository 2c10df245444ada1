import type { Reading } from '../reading.ts';
import type { DetectorSpec } from '../detector-spec.ts';
import { confidence, standardise, zForConfidence } from '../gaussian-tail.ts';
import { alphaForHalfLife } from '../running-moments.ts';
import { cellOf, SeasonalBaseline, type SeasonalState } from '../seasonal-baseline.ts';
import { directedZ, type Scorer, sideOf, unjudged } from './scorer.ts';

type SeasonalSpec = Extract<DetectorSpec, { kind: 'seasonal' }>;

/** Z-score against the mean and spread of the value's hour of the week or day (seasonal-baseline.ts). */
export class SeasonalScorer implements Scorer {
  private readonly baseline: SeasonalBaseline;
  private readonly zBand: number;

  constructor(
    private readonly spec: SeasonalSpec,
    state?: SeasonalState,
  ) {
    this.baseline = new SeasonalBaseline(
      { period: spec.period, cellAlpha: alphaForHalfLife(spec.cellHalfLife), globalAlpha: alphaForHalfLife(spec.halfLife), cellWarmup: spec.cellWarmup },
      state,
    );
    this.zBand = zForConfidence(spec.threshold);
  }

  update(timeMs: number, x: number, out: Reading): void {
    const b = this.baseline;
    const cell = cellOf(timeMs, this.spec.period, this.spec.utcOffsetMinutes);
    if (b.global.n === 0) unjudged(x, out);
    else {
      b.expect(cell);
      out.score = confidence(directedZ(standardise(x - b.mean, b.sd), this.spec.direction));
      out.baseline = b.mean;
      out.low = b.mean - this.zBand * b.sd;
      out.high = b.mean + this.zBand * b.sd;
      out.direction = sideOf(x, b.mean);
    }
    b.push(cell, x);
  }

  save(): SeasonalState {
    return this.baseline.save();
  }
}
