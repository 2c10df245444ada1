import { describe, expect, it } from 'vitest';
import { createDetector } from '../../src/anomaly/detector.ts';
import { DetectorSpecSchema } from '../../src/anomaly/detector-spec.ts';
import { createNabDetector, NAB_SPEC } from '../../src/anomaly/nab-detector.ts';
import { surprise } from '../../src/anomaly/scorers/composite-scorer.ts';
import { ConfigError } from '../../src/errors.ts';
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

describe('composite detector mechanisms', () => {
  const HALF_HOUR = 1_800_000;
  const MONDAY = Date.parse('2026-01-05T00:00:00Z');
  const HOLIDAY = 7 * 6 + 2; // the Wednesday of the seventh week

  /** Half-hourly demand, eight weeks: a weekday shape, a weekend shape, and a Wednesday holiday shaped like a weekend. */
  function weeklyDemand(seed: number): number[] {
    const rng = new Random(seed);
    return Array.from({ length: 48 * 7 * 8 }, (_, i) => {
      const day = Math.floor(i / 48);
      const hour = (i % 48) / 2;
      const restDay = day % 7 >= 5 || day === HOLIDAY;
      const shape = restDay
        ? 0.7 + 0.3 * Math.cos((2 * Math.PI * (hour - 14)) / 24)
        : 0.55 + 0.35 * Math.cos((2 * Math.PI * (hour - 9)) / 24) + 0.25 * Math.cos((2 * Math.PI * (hour - 19)) / 12);
      return 1000 * shape * (1 + 0.03 * rng.normal());
    });
  }

  function alerts(seasonality: 'day' | 'auto', values: number[]): number[] {
    const detector = createDetector(DetectorSpecSchema.parse({ kind: 'composite', seasonality }));
    return values.flatMap((v, i) => (detector.update(MONDAY + i * HALF_HOUR, v).anomalous ? [i] : []));
  }

  it('learns a weekly cycle when hour-of-week cells beat hour-of-day ones, and flags a weekday that looks like a Sunday', () => {
    const values = weeklyDemand(7);
    const holiday = alerts('auto', values).filter((i) => i >= HOLIDAY * 48 && i < (HOLIDAY + 1) * 48);
    expect(holiday.length).toBeGreaterThan(0);
    // Hour-of-day cells alone average weekdays and weekends together: the holiday is within their spread.
    expect(alerts('day', values).filter((i) => i >= HOLIDAY * 48 && i < (HOLIDAY + 1) * 48)).toEqual([]);
    // Ordinary weeks after the first two raise nothing.
    expect(alerts('auto', values).filter((i) => i >= 14 * 48 && i < HOLIDAY * 48)).toEqual([]);
  });

  it('gives a larger surprise to a larger deviation where a confidence would have saturated, capped at 1', () => {
    expect(surprise(0, 10)).toBe(0);
    expect(surprise(4, 10)).toBeGreaterThan(0.4);
    expect(surprise(8, 10)).toBeGreaterThan(surprise(4, 10) + 0.4);
    expect(surprise(-8, 10)).toBe(surprise(8, 10));
    expect(surprise(12, 10)).toBe(1);
    expect(surprise(Number.POSITIVE_INFINITY, 10)).toBe(1);
    // −log10 of the two-sided tail at 3σ (0.0026998) is 2.5687.
    expect(surprise(3, 10)).toBeCloseTo(0.25687, 4);
  });

  it('keeps a state of the same size however long the series: constant work and memory per update', () => {
    const detector = createDetector(NAB_SPEC);
    const rng = new Random(9);
    const numbers = (x: unknown): number => (Array.isArray(x) ? x.reduce((n: number, y) => n + numbers(y), 0) : x !== null && typeof x === 'object' ? Object.values(x).reduce((n: number, y) => n + numbers(y), 0) : 1);
    let after2k = 0;
    for (let i = 0; i < 40_000; i++) {
      detector.update(i * FIVE_MINUTES, 100 + 10 * rng.normal() + (i % 5000 === 0 ? 500 : 0));
      if (i === 2_000) after2k = numbers(detector.snapshot());
    }
    expect(numbers(detector.snapshot())).toBe(after2k);
    expect(JSON.stringify(detector.snapshot()).length).toBeLessThan(20_000);
  });
});

describe('composite snapshots', () => {
  it('refuses a snapshot whose seasonal periods differ from the spec, and one from before the week cells', () => {
    const weekly = createDetector(DetectorSpecSchema.parse({ kind: 'composite', seasonality: 'week' }));
    for (let i = 0; i < 10; i++) weekly.update(i * FIVE_MINUTES, i);
    const snapshot = weekly.snapshot();
    expect(() => createDetector(NAB_SPEC, snapshot)).toThrow(/seasonal periods \[week\], the spec \[day, week\]/);
    const old = { ...snapshot, state: { ...(snapshot.state as object), seasonal: null } };
    expect(() => createDetector(NAB_SPEC, old)).toThrow(ConfigError);
    expect(() => createDetector(DetectorSpecSchema.parse({ kind: 'composite', seasonality: 'week' }), JSON.parse(JSON.stringify(snapshot)))).not.toThrow();
  });
});
