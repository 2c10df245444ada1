import type { Reading } from '../reading.ts';
import type { DetectorSpec } from '../detector-spec.ts';
import { Cusum, type CusumState } from '../cusum.ts';
import { standardise } from '../gaussian-tail.ts';
import { alphaForHalfLife, EwmaMoments, type MomentsState } from '../running-moments.ts';
import { type Scorer, unjudged } from './scorer.ts';

type CusumSpec = Extract<DetectorSpec, { kind: 'cusum' }>;

export interface CusumScorerState {
  baseline: MomentsState;
  cusum: CusumState;
}

/**
 * CUSUM (cusum.ts) of the residuals from an EWMA baseline. The score is the larger
 * watched sum over `h`, capped at 1; reaching the threshold is a signal, after which
 * the sums restart. The sums start only once the baseline has seen `warmup` values, so
 * that its first, unsteady estimates of the spread are not taken for a shift.
 */
export class CusumScorer implements Scorer {
  private readonly baseline: EwmaMoments;
  private readonly cusum: Cusum;

  constructor(
    private readonly spec: CusumSpec,
    state?: CusumScorerState,
  ) {
    this.baseline = new EwmaMoments(alphaForHalfLife(spec.halfLife), state?.baseline);
    this.cusum = new Cusum(spec.k, state?.cusum);
  }

  update(_timeMs: number, x: number, out: Reading): void {
    const b = this.baseline;
    const { direction, h, k, threshold, warmup } = this.spec;
    if (b.n < (warmup > 1 ? warmup : 1)) unjudged(x, out);
    else {
      const sd = b.sd;
      const c = this.cusum;
      // The band is where this value alone would have tipped a sum over the threshold,
      // given what the sums held before it: it narrows as evidence of a shift accumulates.
      const reach = threshold * h + k;
      out.low = b.mean - Math.max(0, reach - c.low) * sd;
      out.high = b.mean + Math.max(0, reach - c.high) * sd;
      c.push(standardise(x - b.mean, sd));
      const high = direction === 'low' ? 0 : c.high;
      const low = direction === 'high' ? 0 : c.low;
      const s = high > low ? high : low;
      out.score = s >= h ? 1 : s / h;
      out.baseline = b.mean;
      out.direction = high > low ? 'high' : low > high ? 'low' : null;
      if (out.score >= threshold) c.reset();
    }
    b.push(x);
  }

  save(): CusumScorerState {
    return { baseline: this.baseline.save(), cusum: this.cusum.save() };
  }
}
