import { describe, expect, it } from 'vitest';
import { createDetector, type Detector, type Reading } from '../../src/anomaly/detector.ts';
import { DETECTOR_KINDS, type DetectorSpecInput, DetectorSpecSchema } from '../../src/anomaly/detector-spec.ts';
import { ProcessorError } from '../../src/errors.ts';
import { Random } from '../../src/generate/random.ts';

const HOUR = 3_600_000;
const START = Date.parse('2026-01-05T00:00:00Z'); // a Monday

const detector = (input: DetectorSpecInput): Detector => createDetector(DetectorSpecSchema.parse(input));

/** Hourly values around 100 with a daily cycle (±30) and noise (σ 2), seeded. */
function hourly(seed: number, n: number): { t: number; v: number }[] {
  const rng = new Random(seed);
  return Array.from({ length: n }, (_, i) => ({ t: START + i * HOUR, v: 100 + 30 * Math.sin((2 * Math.PI * (i % 24)) / 24) + 2 * rng.normal() }));
}

function feed(d: Detector, points: { t: number; v: number }[]): Reading[] {
  return points.map((p) => ({ ...d.update(p.t, p.v) }));
}

describe('spec', () => {
  it('applies documented defaults, so a kind alone is a complete spec', () => {
    expect(DetectorSpecSchema.parse({ kind: 'range' })).toMatchObject({ kind: 'range', threshold: 0.5, fraction: 0.05, warmup: 30, refractory: 0, direction: 'both' });
    expect(DetectorSpecSchema.parse({ kind: 'cusum' })).toMatchObject({ k: 0.5, h: 5, threshold: 1, halfLife: 200 });
  });

  it('rejects unknown fields and out-of-range values, with their paths', () => {
    const bad = DetectorSpecSchema.safeParse({ kind: 'robust', threshold: 1.5, window: 10 });
    expect(bad.success).toBe(false);
    const paths = bad.error!.issues.map((i) => `${i.code}:${i.path.join('.')}`);
    expect(paths).toContain('too_big:threshold');
    expect(paths.some((p) => p.startsWith('unrecognized_keys'))).toBe(true);
    expect(DetectorSpecSchema.safeParse({ kind: 'nope' }).success).toBe(false);
    expect(DetectorSpecSchema.safeParse({ kind: 'cusum', k: -1 }).success).toBe(false);
  });
});

describe('every kind', () => {
  it.each(DETECTOR_KINDS)('%s: flags a spike far outside the series, not the quiet values before it', (kind) => {
    const d = detector({ kind, warmup: 48 });
    const rng = new Random(1);
    const points = Array.from({ length: 2000 }, (_, i) => ({ t: START + i * HOUR, v: 100 + 5 * rng.normal() }));
    const falseAlarms = feed(d, points).filter((r) => r.anomalous).length;
    // At 0.999 about one value in a thousand is over the threshold by chance; CUSUM with
    // k = 0.5 and h = 5 has an in-control run length of a few hundred values per side.
    expect(falseAlarms).toBeLessThanOrEqual(kind === 'cusum' ? 12 : 6);
    const spike = d.update(START + points.length * HOUR, 400);
    expect(spike.score).toBeGreaterThan(0.9);
    expect(spike.anomalous || kind === 'cusum' || kind === 'composite').toBe(true);
    expect(spike.direction).toBe('high');
    expect(spike.value).toBe(400);
  });

  it.each(DETECTOR_KINDS)('%s: never fires during warm-up', (kind) => {
    const d = detector({ kind, warmup: 20, threshold: 0 });
    for (let i = 0; i < 20; i++) {
      const r = d.update(START + i * HOUR, i % 2 === 0 ? 0 : 1000);
      expect(r.warm).toBe(false);
      expect(r.anomalous).toBe(false);
    }
    expect(d.update(START + 20 * HOUR, 5).warm).toBe(true);
  });

  it.each(DETECTOR_KINDS)('%s: a restored snapshot continues exactly as if never stopped', (kind) => {
    const spec = DetectorSpecSchema.parse({ kind, warmup: 10, refractory: 5 });
    const points = hourly(2, 24 * 14);
    points[200]!.v = 500;
    points[260]!.v = -200;
    const whole = createDetector(spec);
    const first = createDetector(spec);
    feed(whole, points.slice(0, 150));
    feed(first, points.slice(0, 150));
    const saved = JSON.stringify(first.snapshot());
    const restored = createDetector(spec, JSON.parse(saved));
    expect(feed(restored, points.slice(150))).toEqual(feed(whole, points.slice(150)));
    expect(JSON.stringify(restored.snapshot())).toBe(JSON.stringify(whole.snapshot()));
  });

  it.each(DETECTOR_KINDS)('%s: skips a value that is not a number without learning from it', (kind) => {
    const a = detector({ kind });
    const b = detector({ kind });
    const points = hourly(3, 100);
    feed(a, points);
    for (const [i, p] of points.entries()) {
      if (i === 50) expect(b.update(p.t, Number.NaN).score).toBe(0);
      b.update(p.t, p.v);
    }
    expect(b.snapshot()).toEqual(a.snapshot());
  });
});

describe('gating', () => {
  it('stays quiet for the refractory period after an alert, then may fire again', () => {
    const d = detector({ kind: 'robust', warmup: 50, refractory: 10 });
    const rng = new Random(4);
    for (let i = 0; i < 500; i++) d.update(i, rng.normal());
    const fired = Array.from({ length: 25 }, (_, i) => d.update(500 + i, 100).anomalous);
    expect(fired[0]).toBe(true);
    expect(fired.slice(1, 11).some(Boolean)).toBe(false);
    expect(fired[11]).toBe(true);
  });

  it('watches only the direction asked for', () => {
    const high = detector({ kind: 'zscore', direction: 'high' });
    const low = detector({ kind: 'zscore', direction: 'low' });
    const rng = new Random(5);
    for (let i = 0; i < 300; i++) {
      const v = rng.normal();
      high.update(i, v);
      low.update(i, v);
    }
    const drop = high.update(300, -50);
    expect(drop).toMatchObject({ anomalous: false, score: 0, direction: 'low' });
    expect(low.update(300, -50)).toMatchObject({ anomalous: true, direction: 'low' });
  });

  it('the band is where the score reaches the threshold', () => {
    for (const kind of ['zscore', 'robust', 'seasonal', 'range'] as const) {
      const spec = DetectorSpecSchema.parse({ kind, warmup: 10 });
      const d = createDetector(spec);
      feed(d, hourly(6, 400));
      const snap = d.snapshot();
      const probe = { ...d.update(START + 400 * HOUR, 100) };
      const just = (v: number) => createDetector(spec, snap).update(START + 400 * HOUR, v).anomalous;
      const eps = 1e-6 * (probe.high - probe.low);
      expect(just(probe.high + eps), `${kind} above the band`).toBe(true);
      expect(just(probe.high - eps), `${kind} inside the band`).toBe(false);
      expect(just(probe.low - eps), `${kind} below the band`).toBe(true);
    }
  });

  it('refuses a snapshot of another kind', () => {
    const snap = detector({ kind: 'range' }).snapshot();
    expect(() => createDetector(DetectorSpecSchema.parse({ kind: 'robust' }), snap)).toThrow(ProcessorError);
    const zscore = detector({ kind: 'zscore', scales: [1, 4, 16] }).snapshot();
    expect(() => createDetector(DetectorSpecSchema.parse({ kind: 'zscore' }), zscore)).toThrow(/3 scales/);
  });

  it('returns the same Reading object each time, documented as overwritten by the next update', () => {
    const d = detector({ kind: 'range' });
    expect(d.update(0, 1)).toBe(d.update(1, 2));
  });
});

describe('kind by kind', () => {
  it('seasonal catches a value normal for the day but not for its hour, which zscore misses', () => {
    const seasonal = detector({ kind: 'seasonal', warmup: 24 * 7 });
    const zscore = detector({ kind: 'zscore', warmup: 24 * 7 });
    const points = hourly(7, 24 * 7 * 5);
    feed(seasonal, points);
    feed(zscore, points);
    // 06:00 is the daily peak (≈130); 18:00 the trough (≈70). 130 at 18:00 is a normal value at the wrong hour.
    const t = START + 24 * 7 * 5 * HOUR + 18 * HOUR;
    expect(seasonal.update(t, 130).anomalous).toBe(true);
    expect(zscore.update(t, 130).anomalous).toBe(false);
  });

  it('seasonal by hour of day learns a daily cycle in days rather than weeks', () => {
    const daily = detector({ kind: 'seasonal', period: 'day', warmup: 24 * 4 });
    const weekly = detector({ kind: 'seasonal', warmup: 24 * 4 });
    const points = hourly(10, 24 * 6);
    feed(daily, points);
    feed(weekly, points);
    const t = START + 24 * 6 * HOUR + 18 * HOUR;
    expect(daily.update(t, 130).anomalous).toBe(true);
    expect(weekly.update(t, 130).anomalous).toBe(false);
    expect(() => createDetector(DetectorSpecSchema.parse({ kind: 'seasonal' }), daily.snapshot())).toThrow(/24 hour cells/);
  });

  it('cusum signals a sustained shift of one standard deviation within a few dozen updates, then restarts', () => {
    const d = detector({ kind: 'cusum', warmup: 100, halfLife: 1000 });
    const rng = new Random(8);
    for (let i = 0; i < 1000; i++) d.update(i, 10 + rng.normal());
    const zscore = detector({ kind: 'zscore' });
    let at = -1;
    for (let i = 0; i < 100; i++) {
      const r = d.update(1000 + i, 11 + rng.normal());
      zscore.update(1000 + i, 11 + rng.normal());
      if (r.anomalous) {
        at = i;
        break;
      }
    }
    expect(at).toBeGreaterThan(0);
    expect(at).toBeLessThan(30);
    const after = d.update(2000, 11);
    expect(after.score).toBeLessThan(0.5);
  });

  it('range fires on the plain 5% rule at threshold 0.5', () => {
    const spec = DetectorSpecSchema.parse({ kind: 'range', warmup: 2 });
    const d = createDetector(spec);
    for (const [i, v] of [0, 100, 50].entries()) d.update(i, v);
    const probe = (v: number) => ({ ...createDetector(spec, d.snapshot()).update(3, v) });
    expect(probe(104.9).anomalous).toBe(false);
    expect(probe(105.1)).toMatchObject({ anomalous: true, direction: 'high' });
    expect(probe(-4.9).anomalous).toBe(false);
    expect(probe(-5.1)).toMatchObject({ anomalous: true, direction: 'low' });
  });

  it('robust is not blinded by earlier outliers as the mean and variance are', () => {
    const robust = detector({ kind: 'robust', warmup: 50 });
    const zscore = detector({ kind: 'zscore', warmup: 50, longRun: false, scales: [1] });
    const rng = new Random(9);
    for (let i = 0; i < 400; i++) {
      const v = i % 40 === 39 ? 1000 : rng.normal();
      robust.update(i, v);
      zscore.update(i, v);
    }
    expect(robust.update(400, 8).anomalous).toBe(true);
    expect(zscore.update(400, 8).anomalous).toBe(false);
  });
});
