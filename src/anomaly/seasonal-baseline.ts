/**
 * A weekly or daily baseline: one exponentially weighted mean and variance per hour of
 * the week (24 × 7 = 168 cells) or of the day (24 cells), because border traffic, like
 * most human activity, repeats by hour of day and day of week. A cell is trusted once it has seen `cellWarmup` values;
 * until then the global baseline (an EWMA over every value) stands in for it.
 *
 * A cell sees few values (one a week for hourly data), so its own variance is a poor
 * estimate on its own: it is shrunk towards the pooled variance of every cell's residuals,
 * and widened for the uncertainty of the cell's mean, before it is used to standardise.
 */
import { ConfigError } from '../errors.ts';
import { EwmaMoments, type MomentsState } from './running-moments.ts';

export const HOURS_OF_WEEK = 168;
export type Period = 'day' | 'week';
const HOUR_MS = 3_600_000;
/**
 * Weight, in values, of the pooled variance in a cell's shrunk variance. With 16, pure
 * noise exceeds a 0.999 threshold about 1.4 times in 1,000 values (4: 2.6 times, as a
 * cell's few values make its variance heavy-tailed); a cell with a truly different spread
 * still gets most of its own after a few months of hourly values.
 */
const POOLED_WEIGHT = 16;

/** Cell 0 is Monday 00:00–01:00 at the given UTC offset. */
export function hourOfWeek(timeMs: number, utcOffsetMinutes: number): number {
  const hours = Math.floor((timeMs + utcOffsetMinutes * 60_000) / HOUR_MS);
  // 1970-01-01 was a Thursday, three days after a Monday.
  const h = (hours + 3 * 24) % HOURS_OF_WEEK;
  return h < 0 ? h + HOURS_OF_WEEK : h;
}

/** The cell of a time: its hour of the week (Monday 00:00 is 0) or of the day. */
export function cellOf(timeMs: number, period: Period, utcOffsetMinutes: number): number {
  const h = hourOfWeek(timeMs, utcOffsetMinutes);
  return period === 'week' ? h : h % 24;
}

export interface SeasonalState {
  /** [n, mean, variance] per cell, flattened: 504 numbers (72 for a daily baseline). */
  cells: number[];
  global: MomentsState;
  /** EWMA of squared residuals from warm cells' means, and how many it has seen. */
  pooledVariance: number;
  pooledN: number;
}

export interface SeasonalOptions {
  period: Period;
  /** EWMA weight within a cell (per update of that cell). */
  cellAlpha: number;
  /** EWMA weight of the global fallback and of the pooled residual variance. */
  globalAlpha: number;
  cellWarmup: number;
}

export class SeasonalBaseline {
  /** Flat typed array rather than 168 objects: 4 KB in one allocation, no per-cell headers. */
  private readonly cells: Float64Array;
  readonly global: EwmaMoments;
  private pooledVariance = 0;
  private pooledN = 0;
  /** The most values an EWMA cell's estimate is worth: its effective sample size. */
  private readonly cellWorth: number;
  /** Filled by {@link expect}: the baseline mean and spread for the value's hour. */
  mean = 0;
  sd = 0;
  /** Whether {@link expect} used the hour's own cell (false: the global fallback). */
  seasonal = false;

  constructor(
    private readonly options: SeasonalOptions,
    state?: SeasonalState,
  ) {
    this.cells = new Float64Array((options.period === 'week' ? HOURS_OF_WEEK : 24) * 3);
    if (state && state.cells.length !== this.cells.length) throw new ConfigError(`snapshot has ${state.cells.length / 3} hour cells, the spec's period ${this.cells.length / 3}`);
    this.global = new EwmaMoments(options.globalAlpha, state?.global);
    this.cellWorth = (2 - options.cellAlpha) / options.cellAlpha;
    if (state) {
      this.cells.set(state.cells);
      this.pooledVariance = state.pooledVariance;
      this.pooledN = state.pooledN;
    }
  }

  /** Sets {@link mean}, {@link sd} and {@link seasonal} for the cell, before the value is learnt. */
  expect(cell: number): void {
    const i = cell * 3;
    const n = this.cells[i]!;
    // A cell is used once it is warm and the pooled variance has something to say.
    this.seasonal = n >= this.options.cellWarmup && this.pooledN > 0;
    if (this.seasonal) {
      const worth = n < this.cellWorth ? n : this.cellWorth;
      const shrunk = (worth * this.cells[i + 2]! + POOLED_WEIGHT * this.pooledVariance) / (worth + POOLED_WEIGHT);
      this.mean = this.cells[i + 1]!;
      this.sd = Math.sqrt(shrunk * (1 + 1 / worth));
    } else {
      this.mean = this.global.mean;
      this.sd = this.global.sd;
    }
  }

  push(cell: number, x: number): void {
    this.global.push(x);
    const i = cell * 3;
    const mean = this.cells[i + 1]!;
    const d = x - mean;
    if (this.cells[i]! >= this.options.cellWarmup) {
      this.pooledN += 1;
      const a = this.options.globalAlpha > 1 / this.pooledN ? this.options.globalAlpha : 1 / this.pooledN;
      this.pooledVariance += a * (d * d - this.pooledVariance);
    }
    const n = this.cells[i]! + 1;
    const a = this.options.cellAlpha > 1 / n ? this.options.cellAlpha : 1 / n;
    this.cells[i] = n;
    this.cells[i + 1] = mean + a * d;
    this.cells[i + 2] = (1 - a) * (this.cells[i + 2]! + d * a * d);
  }

  save(): SeasonalState {
    return { cells: Array.from(this.cells), global: this.global.save(), pooledVariance: this.pooledVariance, pooledN: this.pooledN };
  }
}
