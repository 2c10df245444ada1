import type { Reading } from '../detector.ts';
import type { DetectorSpec } from '../detector-spec.ts';
import { AnomalyLikelihood, type LikelihoodState } from '../anomaly-likelihood.ts';
import { confidence, standardise } from '../gaussian-tail.ts';
import { RobustLocation, type RobustState } from '../robust-location.ts';
import { alphaForHalfLife } from '../running-moments.ts';
import { RunningRange, type RangeState } from '../running-range.ts';
import { type Scorer, sideOf, unjudged } from './scorer.ts';

type CompositeSpec = Extract<DetectorSpec, { kind: 'composite' }>;

export interface CompositeState {
  range: RangeState;
  robust: RobustState;
  likelihood: LikelihoodState;
}

/** Placeholder composition, tuned on NAB later. */
export class CompositeScorer implements Scorer {
  private readonly range: RunningRange;
  private readonly robust: RobustLocation;
  private readonly likelihood: AnomalyLikelihood;

  constructor(
    private readonly spec: CompositeSpec,
    state?: CompositeState,
  ) {
    this.range = new RunningRange(0, state?.range);
    this.robust = new RobustLocation(2 * alphaForHalfLife(spec.halfLife), state?.robust);
    this.likelihood = new AnomalyLikelihood(spec.likelihoodWindow, alphaForHalfLife(spec.likelihoodHalfLife), state?.likelihood);
  }

  update(_timeMs: number, x: number, out: Reading): void {
    const r = this.range;
    const l = this.robust;
    if (r.n === 0) unjudged(x, out);
    else {
      const e = r.excess(x);
      const rangeScore = e === Number.POSITIVE_INFINITY ? 1 : e / (e + this.spec.fraction);
      const raw = confidence(standardise(x - l.median, l.sd));
      const likely = this.likelihood.push(raw);
      out.score = rangeScore > likely ? rangeScore : likely;
      out.baseline = l.median;
      out.low = r.min - this.spec.fraction * (r.max - r.min);
      out.high = r.max + this.spec.fraction * (r.max - r.min);
      out.direction = sideOf(x, l.median);
    }
    r.push(x);
    l.push(x);
  }

  save(): CompositeState {
    return { range: this.range.save(), robust: this.robust.save(), likelihood: this.likelihood.save() };
  }
}
