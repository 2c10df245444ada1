import { describe, expect, it } from 'vitest';
import { mean, median, medianAbsoluteDeviation, variance } from 'simple-statistics';
import { AnomalyLikelihood } from '../../src/anomaly/anomaly-likelihood.ts';
import { Cusum } from '../../src/anomaly/cusum.ts';
import { confidence, standardise, upperTail, zForConfidence } from '../../src/anomaly/gaussian-tail.ts';
import { RobustLocation } from '../../src/anomaly/robust-location.ts';
import { alphaForHalfLife, EwmaMoments, Welford } from '../../src/anomaly/running-moments.ts';
import { RunningRange } from '../../src/anomaly/running-range.ts';
import { hourOfWeek, SeasonalBaseline } from '../../src/anomaly/seasonal-baseline.ts';
import { Random } from '../../src/generate/random.ts';

const gaussian = (seed: number, n: number, mu = 0, sigma = 1): number[] => {
  const rng = new Random(seed);
  return Array.from({ length: n }, () => mu + sigma * rng.normal());
};

describe('Gaussian tail', () => {
  it('gives the two-sided confidence of a z-score', () => {
    expect(confidence(3)).toBeCloseTo(0.9973, 4);
    expect(confidence(-1.96)).toBeCloseTo(0.95, 3);
    expect(confidence(Number.POSITIVE_INFINITY)).toBe(1);
  });

  it('keeps upper tails accurate down to 1e-10', () => {
    expect(upperTail(0)).toBeCloseTo(0.5, 7);
    expect(upperTail(-2)).toBeCloseTo(0.97725, 5);
    // Q(6.3613) = 1.0000e-10; relative, not absolute, accuracy is what the likelihood needs.
    expect(upperTail(6.3613) / 1e-10).toBeCloseTo(1, 3);
  });

  it('inverts the confidence, so that band edges sit exactly at the threshold', () => {
    for (const c of [0.5, 0.9, 0.997, 0.999, 0.9999999]) expect(confidence(zForConfidence(c))).toBeCloseTo(c, 9);
    expect(zForConfidence(0)).toBe(0);
    expect(zForConfidence(1)).toBe(Number.POSITIVE_INFINITY);
  });

  it('standardises a deviation from a baseline with no spread as certainly unusual', () => {
    expect(standardise(0, 0)).toBe(0);
    expect(standardise(-1e-9, 0)).toBe(Number.NEGATIVE_INFINITY);
    expect(standardise(3, 2)).toBe(1.5);
  });
});

describe('running moments', () => {
  it('Welford matches the batch mean and variance', () => {
    const xs = gaussian(1, 10_000, 1e6, 3);
    const w = new Welford();
    for (const x of xs) w.push(x);
    expect(w.mean).toBeCloseTo(mean(xs), 6);
    expect(w.variance / variance(xs)).toBeCloseTo(1, 9);
  });

  it('an EWMA starts as the plain mean and then forgets at its half-life', () => {
    const e = new EwmaMoments(alphaForHalfLife(50));
    for (const x of [1, 2, 3]) e.push(x);
    expect(e.mean).toBeCloseTo(2, 12);
    expect(e.variance).toBeCloseTo(2 / 3, 12);
    for (let i = 0; i < 1000; i++) e.push(0);
    for (let i = 0; i < 50; i++) e.push(10);
    expect(e.mean).toBeCloseTo(5, 6);
  });

  it('an EWMA of a constant has no spread', () => {
    const e = new EwmaMoments(0.1);
    for (let i = 0; i < 100; i++) e.push(7);
    expect(e.mean).toBe(7);
    expect(e.variance).toBe(0);
  });
});

describe('streaming median and MAD', () => {
  it('tracks the median and MAD of a stationary series', () => {
    const xs = gaussian(2, 20_000, 50, 4);
    const r = new RobustLocation(2 * alphaForHalfLife(200));
    for (const x of xs) r.push(x);
    const tail = xs.slice(-2000);
    expect(Math.abs(r.median - median(tail))).toBeLessThan(0.5);
    expect(r.mad / medianAbsoluteDeviation(tail)).toBeGreaterThan(0.85);
    expect(r.mad / medianAbsoluteDeviation(tail)).toBeLessThan(1.15);
    expect(r.sd / 4).toBeCloseTo(1, 0);
  });

  it('moves by one small step for an outlier however large', () => {
    const r = new RobustLocation(0.01);
    for (const x of gaussian(3, 1000, 0, 1)) r.push(x);
    const before = { median: r.median, mad: r.mad };
    r.push(1e12);
    expect(r.median - before.median).toBeLessThan(0.02);
    expect(r.mad - before.mad).toBeLessThan(0.02);
  });

  it('follows a level shift', () => {
    const r = new RobustLocation(2 * alphaForHalfLife(50));
    for (const x of gaussian(4, 2000, 0, 1)) r.push(x);
    for (const x of gaussian(5, 1000, 20, 1)) r.push(x);
    expect(r.median).toBeCloseTo(20, 0);
  });
});

describe('seasonal baseline', () => {
  it('numbers the hours of the week from Monday 00:00 at the given offset', () => {
    expect(hourOfWeek(Date.parse('2024-01-01T00:00:00Z'), 0)).toBe(0); // a Monday
    expect(hourOfWeek(Date.parse('2024-01-07T23:59:59Z'), 0)).toBe(167);
    expect(hourOfWeek(Date.parse('2024-01-08T00:00:00Z'), 0)).toBe(0);
    expect(hourOfWeek(Date.parse('2023-12-31T19:00:00Z'), 300)).toBe(0); // Monday 00:00 at UTC+5
    expect(hourOfWeek(Date.parse('1969-12-29T01:00:00Z'), 0)).toBe(1); // before the epoch
  });

  it('uses the global baseline until the hour has seen enough values', () => {
    const b = new SeasonalBaseline({ period: 'week', cellAlpha: 0.5, globalAlpha: 0.01, cellWarmup: 2 });
    for (let i = 0; i < 10; i++) b.push(1, 100);
    b.expect(5);
    expect(b.seasonal).toBe(false);
    expect(b.mean).toBe(100);
    b.push(5, 10);
    b.push(5, 12);
    b.expect(5);
    expect(b.seasonal).toBe(true);
    expect(b.mean).toBeGreaterThan(10);
    expect(b.mean).toBeLessThan(12);
  });
});

describe('CUSUM', () => {
  it('accumulates a sustained small shift that no single value shows', () => {
    const c = new Cusum(0.5);
    let steps = 0;
    for (const z of gaussian(6, 200, 1.5, 1)) {
      c.push(z);
      steps += 1;
      if (c.high >= 5) break;
    }
    expect(c.high).toBeGreaterThanOrEqual(5);
    expect(steps).toBeLessThan(20);
    expect(c.low).toBe(0);
  });

  it('stays below the decision interval on in-control noise far longer', () => {
    const c = new Cusum(0.5);
    let signals = 0;
    for (const z of gaussian(7, 2000)) {
      c.push(z);
      if (c.high >= 5 || c.low >= 5) {
        signals += 1;
        c.reset();
      }
    }
    // The in-control average run length for k = 0.5, h = 5 is about 465 per side.
    expect(signals).toBeLessThan(12);
    expect(c.high + c.low).toBeGreaterThanOrEqual(0);
  });

  it('keeps its sums finite for an infinite residual', () => {
    const c = new Cusum(0.5);
    c.push(Number.POSITIVE_INFINITY);
    expect(c.high).toBe(49.5);
    expect(JSON.parse(JSON.stringify(c.save()))).toEqual({ high: 49.5, low: 0 });
  });
});

describe('running range', () => {
  it('measures how far a value leaves the range as a share of it', () => {
    const r = new RunningRange(0);
    expect(r.excess(5)).toBe(0);
    for (const x of [10, 20, 15]) r.push(x);
    expect(r.excess(12)).toBe(0);
    expect(r.excess(21)).toBeCloseTo(0.1, 12);
    expect(r.excess(5)).toBeCloseTo(0.5, 12);
  });

  it('with a half-life, forgets an old spike', () => {
    const r = new RunningRange(alphaForHalfLife(100));
    r.push(0);
    r.push(1000);
    for (const x of gaussian(8, 2000, 0, 1)) r.push(x);
    expect(r.max).toBeLessThan(10);
  });
});

describe('anomaly likelihood', () => {
  // Confidence scores of in-control Gaussian data are uniform on 0..1.
  it('rates a run of high raw scores as very unlikely, a lone one not', () => {
    const rng = new Random(9);
    const l = new AnomalyLikelihood(10, alphaForHalfLife(1000));
    for (let i = 0; i < 3000; i++) l.push(rng.next());
    expect(l.push(1)).toBeLessThan(0.2);
    for (let i = 0; i < 20; i++) l.push(rng.next());
    let run = 0;
    for (let i = 0; i < 10; i++) run = l.push(0.999);
    expect(run).toBeGreaterThan(0.6);
  });

  it('rates a series that suddenly stops varying as unusual too', () => {
    const rng = new Random(11);
    const l = new AnomalyLikelihood(10, alphaForHalfLife(1000));
    for (let i = 0; i < 3000; i++) l.push(rng.next());
    let flat = 0;
    for (let i = 0; i < 10; i++) flat = l.push(0);
    expect(flat).toBeGreaterThan(0.6);
  });

  it('saves and restores its window and running sum exactly', () => {
    const rng = new Random(10);
    const a = new AnomalyLikelihood(7, 0.01);
    for (let i = 0; i < 123; i++) a.push(rng.next());
    const b = new AnomalyLikelihood(7, 0.01, JSON.parse(JSON.stringify(a.save())));
    for (let i = 0; i < 50; i++) {
      const x = rng.next();
      expect(b.push(x)).toBe(a.push(x));
    }
  });
});
