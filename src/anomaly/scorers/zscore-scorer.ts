import { ConfigError } from '../../errors.ts';
import { confidence, standardise, zForConfidence } from '../gaussian-tail.ts';
import type { Reading } from '../reading.ts';
import type { DetectorSpec } from '../detector-spec.ts';
import { alphaForHalfLife, EwmaMoments, type MomentsState, Welford, type WelfordState } from '../running-moments.ts';
import { directedZ, type Scorer, sideOf, unjudged } from './scorer.ts';

type ZscoreSpec = Extract<DetectorSpec, { kind: 'zscore' }>;

export interface ZscoreState {
  ewmas: MomentsState[];
  longRun: WelfordState | null;
}

/**
 * A value is scored by its smallest |z| over the time scales kept (EWMAs at several
 * half-lives, optionally the all-time mean): it must be unusual against recent and
 * long-run history alike. A trend that the long run finds unusual but the recent past
 * expects stays quiet; so does a burst of noise that only the fastest scale has missed.
 */
export class ZscoreScorer implements Scorer {
  private readonly ewmas: EwmaMoments[];
  private readonly longRun: Welford | null;
  private readonly zBand: number;

  constructor(
    private readonly spec: ZscoreSpec,
    state?: ZscoreState,
  ) {
    if (state && state.ewmas.length !== spec.scales.length) throw new ConfigError(`snapshot has ${state.ewmas.length} scales, the spec ${spec.scales.length}`);
    if (state && (state.longRun !== null) !== spec.longRun) throw new ConfigError('snapshot and spec disagree on longRun');
    this.ewmas = spec.scales.map((s, i) => new EwmaMoments(alphaForHalfLife(spec.halfLife * s), state?.ewmas[i]));
    this.longRun = spec.longRun ? new Welford(state?.longRun ?? undefined) : null;
    this.zBand = zForConfidence(spec.threshold);
  }

  update(_timeMs: number, x: number, out: Reading): void {
    const first = this.ewmas[0]!;
    if (first.n === 0) unjudged(x, out);
    else {
      let least = Number.POSITIVE_INFINITY;
      let low = Number.POSITIVE_INFINITY;
      let high = Number.NEGATIVE_INFINITY;
      for (const m of this.ewmas) {
        least = this.consider(x, m.mean, m.sd, least);
        if (m.mean - this.zBand * m.sd < low) low = m.mean - this.zBand * m.sd;
        if (m.mean + this.zBand * m.sd > high) high = m.mean + this.zBand * m.sd;
      }
      if (this.longRun) {
        const w = this.longRun;
        least = this.consider(x, w.mean, w.sd, least);
        if (w.mean - this.zBand * w.sd < low) low = w.mean - this.zBand * w.sd;
        if (w.mean + this.zBand * w.sd > high) high = w.mean + this.zBand * w.sd;
      }
      out.score = confidence(least);
      out.baseline = first.mean;
      out.low = low;
      out.high = high;
      out.direction = sideOf(x, first.mean);
    }
    for (const m of this.ewmas) m.push(x);
    this.longRun?.push(x);
  }

  private consider(x: number, mean: number, sd: number, least: number): number {
    const z = directedZ(standardise(x - mean, sd), this.spec.direction);
    return z < least ? z : least;
  }

  save(): ZscoreState {
    return { ewmas: this.ewmas.map((m) => m.save()), longRun: this.longRun?.save() ?? null };
  }
}
