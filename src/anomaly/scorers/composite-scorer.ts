import { ConfigError } from '../../errors.ts';
import type { Reading } from '../reading.ts';
import type { DetectorSpec } from '../detector-spec.ts';
import { AnomalyLikelihood, type LikelihoodState } from '../anomaly-likelihood.ts';
import { standardise, upperTail } from '../gaussian-tail.ts';
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
  /** One entry per period tried (`seasonality`): none, day, week, or day then week. */
  seasonal: Array<{ period: Period; baseline: SeasonalState; seasonalError: MomentsState; medianError: MomentsState }>;
}

/** A seasonal baseline tried beside the median, with the long-run errors that decide whether it is used. */
interface SeasonalTrack {
  period: Period;
  baseline: SeasonalBaseline;
  /** Long-run mean |residual| of the hour cells, and of the median over the same rows. */
  seasonalError: EwmaMoments;
  medianError: EwmaMoments;
  /** The hour cell of the value being judged: worked out once per update, read to judge and to learn. */
  cell: number;
}

/**
 * The surprise of a standardised residual, −log10 of its two-sided Gaussian tail, capped at `cap`
 * and divided by it (0..1). Unlike the tail's complement (a confidence), it does not saturate at a
 * few σ: a residual of 8σ says more than one of 4σ, so a burst of extreme values stands out in
 * the likelihood's short mean even in a series whose ordinary values are noisy. Averaging
 * surprises is averaging log p-values, as Fisher's method for combining tests does.
 */
export function surprise(z: number, cap: number): number {
  const a = z < 0 ? -z : z;
  if (a === Number.POSITIVE_INFINITY) return 1;
  const tail = 2 * upperTail(a);
  if (tail >= 1) return 0;
  // Below ~1e-300 the tail underflows to 0; past the cap it no longer matters how far.
  const decades = tail > 0 ? -Math.log10(tail) : cap;
  return decades >= cap ? 1 : decades / cap;
}

/**
 * The general-purpose combination scored on NAB (see docs/anomaly.md):
 * - the running-range rule: a value beyond the all-time range by more than `fraction` of
 *   it scores 0.75..1 (half of e/(e + fraction), plus one half), a sure sign on its own;
 * - a residual from the streaming median, standardised by the long-run mean absolute
 *   residual (half-life `spreadHalfLife`, much longer than the median's, so that a
 *   burst of large residuals stands out against a spread that has not yet learnt it);
 *   or, once the series has shown that it repeats by hour of the day or of the week (that
 *   period's hour-cell residuals are on average under `seasonalRatio` of the median's), the
 *   residual from its hour's cell, standardised by the cell's spread;
 * - the residual's surprise passed through the anomaly likelihood, which scores a run
 *   of unusual values, or of unusually ordinary ones, rather than a lone one.
 * The score is the larger of the range rule's and the likelihood's.
 */
export class CompositeScorer implements Scorer {
  private readonly range: RunningRange;
  private readonly location: RobustLocation;
  /** EWMA of |value − median|: its mean is the residual scale. */
  private readonly spread: EwmaMoments;
  private readonly likelihood: AnomalyLikelihood;
  private readonly seasonal: SeasonalTrack[];

  constructor(
    private readonly spec: CompositeSpec,
    state?: CompositeState,
  ) {
    const spreadAlpha = alphaForHalfLife(spec.spreadHalfLife);
    this.range = new RunningRange(0, state?.range);
    this.location = new RobustLocation(2 * alphaForHalfLife(spec.halfLife), state?.location);
    this.spread = new EwmaMoments(spreadAlpha, state?.spread);
    this.likelihood = new AnomalyLikelihood(spec.likelihoodWindow, alphaForHalfLife(spec.likelihoodHalfLife), state?.likelihood);
    const periods: Period[] = spec.seasonality === 'none' ? [] : spec.seasonality === 'auto' ? ['day', 'week'] : [spec.seasonality];
    // A snapshot from before the week cells kept one baseline or null, not a list.
    const savedPeriods = state === undefined ? undefined : Array.isArray(state.seasonal) ? state.seasonal.map((t) => t.period).join(', ') : 'one, unnamed';
    if (savedPeriods !== undefined && savedPeriods !== periods.join(', ')) {
      throw new ConfigError(`snapshot has seasonal periods [${savedPeriods}], the spec [${periods.join(', ')}]`);
    }
    this.seasonal = periods.map((period, i) => {
      const saved = state?.seasonal[i];
      return {
        period,
        baseline: new SeasonalBaseline({ period, cellAlpha: alphaForHalfLife(spec.cellHalfLife), globalAlpha: spreadAlpha, cellWarmup: spec.cellWarmup }, saved?.baseline),
        seasonalError: new EwmaMoments(spreadAlpha, saved?.seasonalError),
        medianError: new EwmaMoments(spreadAlpha, saved?.medianError),
        cell: 0,
      };
    });
  }

  update(timeMs: number, x: number, out: Reading): void {
    const r = this.range;
    const l = this.location;
    const tracks = this.seasonal;
    for (let i = 0; i < tracks.length; i++) {
      const t = tracks[i]!;
      t.cell = cellOf(timeMs, t.period, this.spec.utcOffsetMinutes);
    }
    if (r.n === 0) unjudged(x, out);
    else {
      const { fraction, direction } = this.spec;
      const residual = x - l.median;
      const size = residual < 0 ? -residual : residual;
      let z = standardise(residual, MEAN_ABS_DEV_TO_SD * this.spread.mean);
      out.baseline = l.median;
      // The period whose hour cells have beaten the median by the widest margin, if any has.
      let bestRatio = this.spec.seasonalRatio;
      for (let i = 0; i < tracks.length; i++) {
        const t = tracks[i]!;
        const s = t.baseline;
        s.expect(t.cell);
        if (!s.seasonal) continue;
        const seasonalResidual = x - s.mean;
        const ratio = t.seasonalError.mean / t.medianError.mean;
        if (ratio < bestRatio) {
          bestRatio = ratio;
          z = standardise(seasonalResidual, s.sd);
          out.baseline = s.mean;
        }
        t.seasonalError.push(seasonalResidual < 0 ? -seasonalResidual : seasonalResidual);
        t.medianError.push(size);
      }
      const watched = direction === 'both' || (direction === 'high' ? x > out.baseline : x < out.baseline);
      const e = r.excess(x);
      const beyond = e === Number.POSITIVE_INFINITY ? 1 : e / (e + fraction);
      const rangeScore = watched && beyond >= 0.5 ? 0.5 + beyond / 2 : 0;
      const likely = this.likelihood.push(surprise(z, this.spec.surpriseCap));
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
    for (let i = 0; i < tracks.length; i++) {
      const t = tracks[i]!;
      t.baseline.push(t.cell, x);
    }
  }

  save(): CompositeState {
    return {
      range: this.range.save(),
      location: this.location.save(),
      spread: this.spread.save(),
      likelihood: this.likelihood.save(),
      seasonal: this.seasonal.map((t) => ({ period: t.period, baseline: t.baseline.save(), seasonalError: t.seasonalError.save(), medianError: t.medianError.save() })),
    };
  }
}
