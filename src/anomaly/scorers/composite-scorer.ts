import type { Reading } from '../detector.ts';
import type { DetectorSpec } from '../detector-spec.ts';
import { AnomalyLikelihood, type LikelihoodState } from '../anomaly-likelihood.ts';
import { confidence, standardise } from '../gaussian-tail.ts';
import { MEAN_ABS_DEV_TO_SD, RobustLocation, type RobustState } from '../robust-location.ts';
import { alphaForHalfLife, EwmaMoments, type MomentsState } from '../running-moments.ts';
import { RunningRange, type RangeState } from '../running-range.ts';
import { type Scorer, sideOf, unjudged } from './scorer.ts';

type CompositeSpec = Extract<DetectorSpec, { kind: 'composite' }>;

export interface CompositeState {
  range: RangeState;
  location: RobustState;
  spread: MomentsState;
  likelihood: LikelihoodState;
}

/**
 * The general-purpose combination tuned on NAB (see docs/anomaly.md):
 * - the running-range rule: a value beyond the all-time range by more than `fraction` of
 *   it scores 0.75..1 (half of e/(e + fraction), plus one half), a sure sign on its own;
 * - a residual from the streaming median, standardised by the long-run mean absolute
 *   residual (half-life `spreadHalfLife`, much longer than the median's, so that a
 *   burst of large residuals stands out against a spread that has not yet learnt it),
 *   turned into a confidence and passed through the anomaly likelihood, which scores a
 *   run of unusual values, or a run of unusually ordinary ones, rather than a lone one.
 * The score is the larger of the two.
 */
export class CompositeScorer implements Scorer {
  private readonly range: RunningRange;
  private readonly location: RobustLocation;
  /** EWMA of |value − median|: its mean is the residual scale. */
  private readonly spread: EwmaMoments;
  private readonly likelihood: AnomalyLikelihood;

  constructor(
    private readonly spec: CompositeSpec,
    state?: CompositeState,
  ) {
    this.range = new RunningRange(0, state?.range);
    this.location = new RobustLocation(2 * alphaForHalfLife(spec.halfLife), state?.location);
    this.spread = new EwmaMoments(alphaForHalfLife(spec.spreadHalfLife), state?.spread);
    this.likelihood = new AnomalyLikelihood(spec.likelihoodWindow, alphaForHalfLife(spec.likelihoodHalfLife), state?.likelihood);
  }

  update(_timeMs: number, x: number, out: Reading): void {
    const r = this.range;
    const l = this.location;
    if (r.n === 0) unjudged(x, out);
    else {
      const { fraction, direction } = this.spec;
      const residual = x - l.median;
      const watched = direction === 'both' || (direction === 'high' ? residual > 0 : residual < 0);
      const e = r.excess(x);
      const beyond = e === Number.POSITIVE_INFINITY ? 1 : e / (e + fraction);
      const rangeScore = watched && beyond >= 0.5 ? 0.5 + beyond / 2 : 0;
      const raw = confidence(standardise(residual, MEAN_ABS_DEV_TO_SD * this.spread.mean));
      const likely = this.likelihood.push(raw);
      out.score = watched && likely > rangeScore ? likely : rangeScore;
      out.baseline = l.median;
      // The band of the range rule: outside it the score is at least 0.75 however the
      // likelihood stands.
      out.low = r.min - fraction * (r.max - r.min);
      out.high = r.max + fraction * (r.max - r.min);
      out.direction = sideOf(x, l.median);
      this.spread.push(residual < 0 ? -residual : residual);
    }
    r.push(x);
    l.push(x);
  }

  save(): CompositeState {
    return { range: this.range.save(), location: this.location.save(), spread: this.spread.save(), likelihood: this.likelihood.save() };
  }
}
