/**
 * Reference detectors whose NAB scores are known, to prove the scorer and the harness right
 * before any detector of ours is judged by them. Each factory call starts a fresh detector that
 * sees one row at a time, in order, with no look-ahead.
 */
import { normalUpperTail } from './normal-tail.ts';

/** A fresh streaming detector: one anomaly score per row (NAB expects [0, 1]). */
export type DetectorFactory = () => (timestampMs: number, value: number) => number;

/** NAB's null detector: the same score for every row, so it can detect all or nothing. */
export const nullDetector: DetectorFactory = () => () => 0.5;

/**
 * numpy's float64 sum: pairwise summation in blocks of up to 128 with 8 accumulators. Copied
 * rather than a plain loop so that mean and std round as NAB's numpy did.
 */
function numpySum(a: Float64Array, start: number, n: number): number {
  if (n < 8) {
    let sum = 0;
    for (let i = start; i < start + n; i++) sum += a[i]!;
    return sum;
  }
  if (n <= 128) {
    const r = a.slice(start, start + 8);
    let i = 8;
    for (; i < n - (n % 8); i += 8) {
      for (let j = 0; j < 8; j++) r[j]! += a[start + i + j]!;
    }
    let sum = r[0]! + r[1]! + (r[2]! + r[3]!) + (r[4]! + r[5]! + (r[6]! + r[7]!));
    for (; i < n; i++) sum += a[start + i]!;
    return sum;
  }
  const half = Math.floor(n / 2) - (Math.floor(n / 2) % 8);
  return numpySum(a, start, half) + numpySum(a, start + half, n - half);
}

/** `numpy.mean` and `numpy.std` (population) of a[0..n). */
function meanStd(a: Float64Array, n: number, squares: Float64Array): { mean: number; std: number } {
  const mean = numpySum(a, 0, n) / n;
  for (let i = 0; i < n; i++) squares[i] = (a[i]! - mean) ** 2;
  return { mean, std: Math.sqrt(numpySum(squares, 0, n) / n) };
}

export interface WindowedGaussianOptions {
  /** @default 6400 */
  windowSize?: number;
  /** @default 100 */
  stepSize?: number;
}

/**
 * NAB's `windowedGaussian` detector. Scores 1 − Q(|z|) against the mean and std of the window as
 * it stood before the row (0 for the very first row). While the window fills, the statistics are
 * recomputed after every row; once full, new rows wait in a buffer and the window slides by a whole
 * step, statistics recomputed, each time the buffer fills. A std of 0 becomes 1e−6, as in NAB.
 */
export function makeWindowedGaussian({ windowSize = 6400, stepSize = 100 }: WindowedGaussianOptions = {}): DetectorFactory {
  return () => {
    const window = new Float64Array(windowSize);
    const squares = new Float64Array(windowSize);
    const buffer: number[] = [];
    let filled = 0;
    let mean = 0;
    let std = 1;
    const refresh = () => {
      ({ mean, std } = meanStd(window, filled, squares));
      if (std === 0) std = 0.000001;
    };
    return (_timestampMs, value) => {
      const score = filled > 0 ? 1 - normalUpperTail(value, mean, std) : 0;
      if (filled < windowSize) {
        window[filled++] = value;
        refresh();
      } else {
        buffer.push(value);
        if (buffer.length === stepSize) {
          window.copyWithin(0, stepSize);
          window.set(buffer, windowSize - stepSize);
          buffer.length = 0;
          refresh();
        }
      }
      return score;
    };
  };
}

/** NAB's windowedGaussian with its own window (6,400 values) and step (100). */
export const windowedGaussian: DetectorFactory = makeWindowedGaussian();

/**
 * 1 when a value lies outside the running [min, max] of the values before it by more than
 * `margin` × (max − min), else 0. The first row scores 0: there is no range yet.
 */
export function makeRunningRange(margin: number): DetectorFactory {
  return () => {
    let seen = false;
    let min = 0;
    let max = 0;
    return (_timestampMs, value) => {
      const slack = margin * (max - min);
      const score = seen && (value > max + slack || value < min - slack) ? 1 : 0;
      min = seen ? Math.min(min, value) : value;
      max = seen ? Math.max(max, value) : value;
      seen = true;
      return score;
    };
  };
}

/** The running-range rule with a 5% margin. */
export const runningRange: DetectorFactory = makeRunningRange(0.05);
