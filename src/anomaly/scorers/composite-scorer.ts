import type { Reading } from '../detector.ts';
import type { DetectorSpec } from '../detector-spec.ts';
import { AnomalyLikelihood, type LikelihoodState } from '../anomaly-likelihood.ts';
import { confidence, standardise } from '../gaussian-tail.ts';
import { MEAN_ABS_DEV_TO_SD, RobustLocation, type RobustState } from '../robust-location.ts';
import { alphaForHalfLife, EwmaMoments, type MomentsState } from '../running-moments.ts';
import { RunningRange, type RangeState } from '../running-range.ts';
import { cellOf, type Period, SeasonalBaseline, type SeasonalState } from '../seasonal-baseline.ts';
import { type Scorer, sideOf, unjudged } from './scorer.ts';

type CompositeSpec = Extract<DetectorSpec, { kind: 'composite' }>;

export interface CompositeState {
  range: RangeState;
  location: RobustState;
  spread: MomentsState;
  likelihood: LikelihoodState;
  seasonal: { baseline: SeasonalState; seasonalError: MomentsState; medianError: MomentsState } | null;
}

/**
 * The general-purpose combination tuned on NAB (see docs/anomaly.md):
 * - the running-range rule: a value beyond the all-time range by more than `fraction` of
 *   it scores 0.75..1 (half of e/(e + fraction), plus one half), a sure sign on its own;
 * - a residual from the streaming median, standardised by the long-run mean absolute
 *   residual (half-life `spreadHalfLife`, much longer than the median's, so that a
 *   burst of large residuals stands out against a spread that has not yet learnt it);
 *   or, once the series has shown that it repeats by hour (the hour-cell residuals are
 *   on average under `seasonalRatio` of the median's), the residual from its hour's
 *   cell, standardised by the cell's spread;
 * - the residual's confidence passed through the anomaly likelihood, which scores a run
 *   of unusual values, or of unusually ordinary ones, rather than a lone one.
 * The score is the larger of the range rule's and the likelihood's.
 */
export class CompositeScorer implements Scorer {
  private readonly range: RunningRange;
  private readonly location: RobustLocation;
  /** EWMA of |value − median|: its mean is the residual scale. */
  private readonly spread: EwmaMoments;
  private readonly likelihood: AnomalyLikelihood;
  private readonly seasonal: SeasonalBaseline | null;
  private readonly period: Period;
  /** Long-run mean |residual| of the hour cells and of the median, compared to choose between them. */
  private readonly seasonalError: EwmaMoments;
  private readonly medianError: EwmaMoments;

  constructor(
    private readonly spec: CompositeSpec,
    state?: CompositeState,
  ) {
    const spreadAlpha = alphaForHalfLife(spec.spreadHalfLife);
    this.range = new RunningRange(0, state?.range);
    this.location = new RobustLocation(2 * alphaForHalfLife(spec.halfLife), state?.location);
    this.spread = new EwmaMoments(spreadAlpha, state?.spread);
    this.likelihood = new AnomalyLikelihood(spec.likelihoodWindow, alphaForHalfLife(spec.likelihoodHalfLife), state?.likelihood);
    this.period = spec.seasonality === 'week' ? 'week' : 'day';
    this.seasonal =
      spec.seasonality === 'none'
        ? null
        : new SeasonalBaseline({ period: this.period, cellAlpha: alphaForHalfLife(spec.cellHalfLife), globalAlpha: spreadAlpha, cellWarmup: spec.cellWarmup }, state?.seasonal?.baseline);
    this.seasonalError = new EwmaMoments(spreadAlpha, state?.seasonal?.seasonalError);
    this.medianError = new EwmaMoments(spreadAlpha, state?.seasonal?.medianError);
  }

  update(timeMs: number, x: number, out: Reading): void {
    const r = this.range;
    const l = this.location;
    const s = this.seasonal;
    const cell = s === null ? 0 : cellOf(timeMs, this.period, this.spec.utcOffsetMinutes);
    if (r.n === 0) unjudged(x, out);
    else {
      const { fraction, direction } = this.spec;
      const residual = x - l.median;
      const size = residual < 0 ? -residual : residual;
      let z = standardise(residual, MEAN_ABS_DEV_TO_SD * this.spread.mean);
      out.baseline = l.median;
      if (s !== null) {
        s.expect(cell);
        if (s.seasonal) {
          const seasonalResidual = x - s.mean;
          if (this.seasonalError.mean < this.spec.seasonalRatio * this.medianError.mean) {
            z = standardise(seasonalResidual, s.sd);
            out.baseline = s.mean;
          }
          this.seasonalError.push(seasonalResidual < 0 ? -seasonalResidual : seasonalResidual);
          this.medianError.push(size);
        }
      }
      const watched = direction === 'both' || (direction === 'high' ? x > out.baseline : x < out.baseline);
      const e = r.excess(x);
      const beyond = e === Number.POSITIVE_INFINITY ? 1 : e / (e + fraction);
      const rangeScore = watched && beyond >= 0.5 ? 0.5 + beyond / 2 : 0;
      const likely = this.likelihood.push(confidence(z));
      out.score = watched && likely > rangeScore ? likely : rangeScore;
      // The band of the range rule: outside it the score is at least 0.75 however the
      // likelihood stands.
      out.low = r.min - fraction * (r.max - r.min);
      out.high = r.max + fraction * (r.max - r.min);
      out.direction = sideOf(x, out.baseline);
      this.spread.push(size);
    }
    r.push(x);
    l.push(x);
    s?.push(cell, x);
  }

  save(): CompositeState {
    return {
      range: this.range.save(),
      location: this.location.save(),
      spread: this.spread.save(),
      likelihood: this.likelihood.save(),
      seasonal: this.seasonal === null ? null : { baseline: this.seasonal.save(), seasonalError: this.seasonalError.save(), medianError: this.medianError.save() },
    };
  }
}
