import { describe, expect, it } from 'vitest';
import { erfc, normalUpperTail } from '../../bench/nab/normal-tail.ts';
import {
  type DetectorFactory,
  makeWindowedGaussian,
  nullDetector,
  runningRange,
  windowedGaussian,
} from '../../bench/nab/reference-detectors.ts';

function feed(factory: DetectorFactory, values: number[]): number[] {
  const detect = factory();
  return values.map((v, i) => detect(i * 60_000, v));
}

describe('erfc', () => {
  it("matches Python's math.erfc to 1e-13 relative from 0 to 10", () => {
    // Values printed by CPython 3.11's math.erfc.
    const expected: Array<[number, number]> = [
      [0, 1],
      [0.5, 0.4795001221869535],
      [1, 0.15729920705028513],
      [2, 0.004677734981047265],
      [3, 2.2090496998585438e-5],
      [5, 1.5374597944280351e-12],
      [10, 2.088487583762545e-45],
    ];
    for (const [x, want] of expected) expect(Math.abs(erfc(x) - want) / want).toBeLessThan(1e-13);
  });

  it('gives the same tail on both sides of the mean', () => {
    expect(normalUpperTail(3, 1, 1)).toBe(normalUpperTail(-1, 1, 1));
    expect(1 - normalUpperTail(3, 1, 1)).toBeCloseTo(0.9772498680518208, 15);
  });
});

describe('reference detectors', () => {
  it('null detector scores every row 0.5', () => {
    expect(feed(nullDetector, [1, 100, -5])).toEqual([0.5, 0.5, 0.5]);
  });

  it('windowedGaussian scores the first row 0 and a repeat of a constant 0.5 (std 0 becomes 1e-6)', () => {
    expect(feed(windowedGaussian, [7, 7])).toEqual([0, 0.5]);
    // 1e-6 away from a constant is one std: 1 − Q(1).
    expect(feed(windowedGaussian, [7, 7 + 1e-6])[1]).toBeCloseTo(1 - 0.5 * 0.31731050786291415, 9);
  });

  it('windowedGaussian scores against the window before the row: 0, 2 then 3 is z = 2', () => {
    expect(feed(windowedGaussian, [0, 2, 3])[2]).toBeCloseTo(0.9772498680518208, 15);
  });

  it('windowedGaussian keeps its statistics while the step buffer fills, then slides by a whole step', () => {
    // Window of 4, step of 2: [0, 2, 0, 2] has mean 1, std 1.
    const scores = feed(makeWindowedGaussian({ windowSize: 4, stepSize: 2 }), [0, 2, 0, 2, 3, 1, 1.5]);
    expect(scores[4]).toBeCloseTo(0.9772498680518208, 15);
    // 1 is still scored against mean 1 (a window sliding every row would have moved on to [2, 0, 2, 3]).
    expect(scores[5]).toBe(0.5);
    // The buffer filled: the window is now [0, 2, 3, 1], mean 1.5.
    expect(scores[6]).toBe(0.5);
  });

  it('runningRange flags a value more than 5% of the range outside the running min–max', () => {
    // Range 10 → slack 0.5: 20.4 stays inside; range 10.4 → slack 0.52: 21 leaves;
    // range 11 → slack 0.55: 9.4 leaves below; range 11.6 → slack 0.58: 9.6 stays inside.
    expect(feed(runningRange, [10, 20, 20.4, 21, 9.4, 9.6])).toEqual([0, 1, 0, 1, 1, 0]);
  });

  it('each factory call starts a fresh detector', () => {
    const first = runningRange();
    first(0, 0);
    first(1, 100);
    expect(feed(runningRange, [50, 50])).toEqual([0, 0]);
  });
});
