/**
 * Streaming median and median absolute deviation by stochastic approximation: each value
 * nudges the median estimate a small step towards itself, and the MAD estimate a step
 * towards |value − median|, the step being a fraction of the current spread. Outliers
 * move the estimates by one step however large they are, which is what makes the
 * baseline robust; memory is four numbers (P² would need five markers per quantile and
 * assumes a stationary series).
 */
export interface RobustState {
  n: number;
  median: number;
  mad: number;
  meanAbsDev: number;
}

/** MAD × 1.4826 estimates σ for Gaussian data; mean |deviation| × 1.2533 does too. */
export const MAD_TO_SD = 1.4826;
export const MEAN_ABS_DEV_TO_SD = 1.2533;

export class RobustLocation {
  n = 0;
  median = 0;
  mad = 0;
  /**
   * EWMA of |value − median|: the step scale while the MAD is still zero (the first
   * values, or a series that is mostly constant), and the spread's floor after.
   */
  meanAbsDev = 0;

  /**
   * @param rate fraction of the spread moved per update; ≈ 2× the EWMA weight of the same
   *   half-life gives about the same time constant on Gaussian data.
   */
  constructor(
    private readonly rate: number,
    state?: RobustState,
  ) {
    if (state) {
      this.n = state.n;
      this.median = state.median;
      this.mad = state.mad;
      this.meanAbsDev = state.meanAbsDev;
    }
  }

  /** The robust spread (σ-equivalent): the MAD's, or the mean absolute deviation's while the MAD is 0. */
  get sd(): number {
    return this.mad > 0 ? MAD_TO_SD * this.mad : MEAN_ABS_DEV_TO_SD * this.meanAbsDev;
  }

  push(x: number): void {
    this.n += 1;
    if (this.n === 1) {
      this.median = x;
      return;
    }
    const d = x - this.median;
    const abs = d < 0 ? -d : d;
    // Large steps first (1/n, as a running median would move), then the steady rate.
    const rate = this.rate > 1 / this.n ? this.rate : 1 / this.n;
    const scale = this.mad > 0 ? this.mad : this.meanAbsDev > 0 ? this.meanAbsDev : abs;
    const step = rate * scale;
    if (d > 0) this.median += step < d ? step : d;
    else if (d < 0) this.median -= step < -d ? step : -d;
    if (abs > this.mad) this.mad += step < abs - this.mad ? step : abs - this.mad;
    else this.mad -= step < this.mad - abs ? step : this.mad - abs;
    // Half the median's rate is the EWMA weight of the same half-life; 1/(n−1) before that
    // makes it the plain mean of the first deviations.
    const w = this.rate / 2 > 1 / (this.n - 1) ? this.rate / 2 : 1 / (this.n - 1);
    this.meanAbsDev += w * (abs - this.meanAbsDev);
  }

  save(): RobustState {
    return { n: this.n, median: this.median, mad: this.mad, meanAbsDev: this.meanAbsDev };
  }
}
