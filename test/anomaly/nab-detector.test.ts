import { describe, expect, it } from 'vitest';
import { createNabDetector, NAB_SPEC } from '../../src/anomaly/nab-detector.ts';
import { Random } from '../../src/generate/random.ts';

const FIVE_MINUTES = 300_000;

function series(seed: number, n: number): number[] {
  const rng = new Random(seed);
  return Array.from({ length: n }, (_, i) => 50 + 10 * Math.sin((2 * Math.PI * i) / 288) + rng.normal());
}

describe('NAB detector', () => {
  it('scores every row in 0..1 and alerts on a spike far outside the series', () => {
    const values = series(1, 3000);
    values[2500] = 150;
    const detect = createNabDetector();
    const scores = values.map((v, i) => detect(i * FIVE_MINUTES, v));
    expect(scores.every((s) => s >= 0 && s <= 1)).toBe(true);
    expect(scores[2500]).toBeGreaterThan(0.5);
    expect(scores.slice(1000, 2500).filter((s) => s > 0.5).length).toBeLessThanOrEqual(2);
  });

  it('alerts when a daily peak fails to come, a value inside the range but not for its hour', () => {
    // Five-minute rows, low (20) except a 9-hour daily peak (80), as NAB's art_daily series.
    const rng = new Random(4);
    const day = 288;
    const values = Array.from({ length: day * 12 }, (_, i) => {
      const peak = i % day >= 120 && i % day < 228 && Math.floor(i / day) !== 10;
      return (peak ? 80 : 20) + rng.normal();
    });
    const detect = createNabDetector();
    const scores = values.map((v, i) => detect(i * FIVE_MINUTES, v));
    const missedPeak = scores.slice(10 * day + 120, 10 * day + 228);
    expect(Math.max(...missedPeak)).toBeGreaterThanOrEqual(NAB_SPEC.threshold);
    expect(scores.slice(3 * day, 10 * day).filter((s) => s > 0).length).toBeLessThanOrEqual(2);
  });

  it('starts each series afresh and gives the same scores for the same series', () => {
    const values = series(2, 1500);
    const run = () => {
      const detect = createNabDetector();
      return values.map((v, i) => detect(i * FIVE_MINUTES, v));
    };
    const a = run();
    createNabDetector()(0, 1e9); // another detector's history must not leak in
    expect(run()).toEqual(a);
  });
});
