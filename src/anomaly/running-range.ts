/**
 * The running minimum and maximum of a series, and how far a value falls outside them as
 * a fraction of the range. The rule "alert when a value leaves the range seen so far by
 * more than 5% of it" is simple, needs no distribution, and is a strong baseline on NAB.
 * With a half-life the bounds also relax towards the recent mean, so that one old spike
 * does not widen the range for ever.
 */
export interface RangeState {
  n: number;
  min: number;
  max: number;
  mean: number;
}

export class RunningRange {
  n = 0;
  min = 0;
  max = 0;
  /** EWMA of the values, the point the bounds relax towards (unused without a half-life). */
  mean = 0;

  /** @param alpha relaxation weight per update; 0 keeps the all-time range. */
  constructor(
    private readonly alpha: number,
    state?: RangeState,
  ) {
    if (state) {
      this.n = state.n;
      this.min = state.min;
      this.max = state.max;
      this.mean = state.mean;
    }
  }

  /**
   * How far `x` lies outside [min, max], as a fraction of max − min: 0 inside, Infinity
   * for any departure from a range of zero width, 0 before the first value.
   */
  excess(x: number): number {
    if (this.n === 0) return 0;
    const outside = x > this.max ? x - this.max : x < this.min ? this.min - x : 0;
    if (outside === 0) return 0;
    const range = this.max - this.min;
    return range > 0 ? outside / range : Number.POSITIVE_INFINITY;
  }

  push(x: number): void {
    this.n += 1;
    if (this.n === 1) {
      this.min = this.max = this.mean = x;
      return;
    }
    if (this.alpha > 0) {
      this.mean += this.alpha * (x - this.mean);
      this.min += this.alpha * (this.mean - this.min);
      this.max += this.alpha * (this.mean - this.max);
    }
    if (x < this.min) this.min = x;
    if (x > this.max) this.max = x;
  }

  save(): RangeState {
    return { n: this.n, min: this.min, max: this.max, mean: this.mean };
  }
}
