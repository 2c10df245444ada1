/**
 * Two-sided tabular CUSUM (Page 1954) on standardised residuals: a sustained shift of
 * the level by more than `k` standard deviations accumulates until it crosses the
 * decision interval, even when no single value is extreme. Both sums restart from zero
 * after a signal, so the next alarm needs fresh evidence.
 */
export interface CusumState {
  high: number;
  low: number;
}

/**
 * One residual adds at most this many standard deviations: keeps the sums finite (and
 * JSON-serialisable) when the baseline has no spread, and bounds one outlier's weight.
 */
export const MAX_STEP = 50;

export class Cusum {
  high = 0;
  low = 0;

  /** @param k the slack, in standard deviations, a shift must exceed to accumulate. */
  constructor(
    private readonly k: number,
    state?: CusumState,
  ) {
    if (state) {
      this.high = state.high;
      this.low = state.low;
    }
  }

  push(z: number): void {
    const step = z > MAX_STEP ? MAX_STEP : z < -MAX_STEP ? -MAX_STEP : z;
    const high = this.high + step - this.k;
    const low = this.low - step - this.k;
    this.high = high > 0 ? high : 0;
    this.low = low > 0 ? low : 0;
  }

  reset(): void {
    this.high = 0;
    this.low = 0;
  }

  save(): CusumState {
    return { high: this.high, low: this.low };
  }
}
