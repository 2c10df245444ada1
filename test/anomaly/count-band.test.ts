import { describe, expect, it } from 'vitest';
import { countBand, countQuantiles } from '../../src/anomaly/count-band.ts';
import { zForConfidence } from '../../src/anomaly/gaussian-tail.ts';

/** A Gaussian band as a detector draws it: baseline ± z·sd at the threshold's confidence. */
const gaussian = (baseline: number, sd: number, confidence: number): [number, number] => {
  const z = zForConfidence(confidence);
  return [baseline - z * sd, baseline + z * sd];
};

describe('the normal range of a count', () => {
  it('never goes below zero and has whole-number edges where a Gaussian band would go negative', () => {
    for (const [baseline, sd] of [[0.9, 1], [3, 2], [0.05, 0.3], [12, 6]] as const) {
      const [low, high] = gaussian(baseline, sd, 0.99999);
      expect(low).toBeLessThan(0);
      const band = countBand(baseline, low, high, 0.99999);
      expect(band.low).toBeGreaterThanOrEqual(0);
      expect(Number.isInteger(band.low) && Number.isInteger(band.high)).toBe(true);
      expect(band.high).toBeGreaterThanOrEqual(Math.ceil(baseline));
    }
  });

  it('is the Poisson quantiles when the spread is no wider than a Poisson count’s', () => {
    // Poisson(4): P(X ≤ 0) = 0.018, P(X ≤ 1) = 0.092; P(X ≤ 7) = 0.949, P(X ≤ 8) = 0.979.
    expect(countQuantiles(4, 4, 0.025)).toEqual({ low: 1, high: 8 });
    const [low, high] = gaussian(4, 2, 0.95);
    expect(countBand(4, low, high, 0.95)).toEqual({ low: 1, high: 8 });
  });

  it('widens for overdispersed counts (negative binomial) and is skewed upwards as counts are', () => {
    const [low, high] = gaussian(20, 10, 0.999);
    const band = countBand(20, low, high, 0.999);
    const poisson = countQuantiles(20, 20, 0.0005)!;
    expect(band.high).toBeGreaterThan(poisson.high);
    expect(band.high - 20).toBeGreaterThan(20 - band.low);
    expect(band.low).toBeGreaterThanOrEqual(0);
  });

  it('keeps the Gaussian band, made whole, for large counts where the sum would underflow', () => {
    const [low, high] = gaussian(5000, 100, 0.99999);
    const band = countBand(5000, low, high, 0.99999);
    expect(band).toEqual({ low: Math.ceil(low), high: Math.floor(high) });
  });

  it('gives an empty range around a baseline of zero, and copes with a detector that has no band yet', () => {
    expect(countBand(0, 0, 0, 0.999)).toEqual({ low: 0, high: 0 });
    expect(countBand(Number.NaN, Number.NaN, Number.NaN, 0.999)).toEqual({ low: Number.NaN, high: Number.NaN });
  });
});
