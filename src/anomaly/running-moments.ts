/**
 * Running mean and variance in O(1) per update: Welford's algorithm for the whole
 * history, and exponentially weighted moments for recent history at a half-life.
 * State is a handful of numbers, saved as plain JSON for snapshots.
 */

/** The EWMA weight whose influence halves after `halfLife` updates. */
export function alphaForHalfLife(halfLife: number): number {
  return 1 - 2 ** (-1 / halfLife);
}

export interface MomentsState {
  n: number;
  mean: number;
  variance: number;
}

/** Welford keeps the sum of squared deviations itself, so a restored copy is bit-identical. */
export interface WelfordState {
  n: number;
  mean: number;
  m2: number;
}

/** Mean and (population) variance of every value seen, numerically stable (Welford 1962). */
export class Welford {
  n = 0;
  mean = 0;
  private m2 = 0;

  constructor(state?: WelfordState) {
    if (state) {
      this.n = state.n;
      this.mean = state.mean;
      this.m2 = state.m2;
    }
  }

  get sd(): number {
    return Math.sqrt(this.variance);
  }

  get variance(): number {
    return this.n > 0 ? this.m2 / this.n : 0;
  }

  push(x: number): void {
    this.n += 1;
    const d = x - this.mean;
    this.mean += d / this.n;
    this.m2 += d * (x - this.mean);
  }

  save(): WelfordState {
    return { n: this.n, mean: this.mean, m2: this.m2 };
  }
}

/**
 * Exponentially weighted mean and variance (West 1979 / Finch 2009 incremental form).
 * The weight starts at 1/n and falls to `alpha`, so the first ~1/alpha updates give the
 * plain running mean instead of a baseline biased towards the first value.
 */
export class EwmaMoments {
  n = 0;
  mean = 0;
  variance = 0;

  constructor(
    readonly alpha: number,
    state?: MomentsState,
  ) {
    if (state) {
      this.n = state.n;
      this.mean = state.mean;
      this.variance = state.variance;
    }
  }

  get sd(): number {
    return Math.sqrt(this.variance);
  }

  push(x: number): void {
    this.n += 1;
    const a = this.alpha > 1 / this.n ? this.alpha : 1 / this.n;
    const d = x - this.mean;
    const step = a * d;
    this.mean += step;
    this.variance = (1 - a) * (this.variance + d * step);
  }

  save(): MomentsState {
    return { n: this.n, mean: this.mean, variance: this.variance };
  }
}
