import { describe, expect, it } from 'vitest';
import type { NabSeries } from '../../bench/nab/corpus.ts';
import { type Candidate, categoryOf, crossValidate } from '../../bench/nab/cross-validation.ts';
import { defaultPoint, gridPoints, NAB_GRID } from '../../bench/nab/grid.ts';
import { type Profiles, scoreAtThresholds, scoreCorpus } from '../../bench/nab/scorer.ts';
import { NAB_SPEC } from '../../src/anomaly/nab-detector.ts';

const PROFILES: Profiles = {
  standard: { tpWeight: 1, fnWeight: 1, fpWeight: 0.11, tnWeight: 1 },
  reward_low_FP_rate: { tpWeight: 1, fnWeight: 1, fpWeight: 0.22, tnWeight: 1 },
  reward_low_FN_rate: { tpWeight: 1, fnWeight: 2, fpWeight: 0.11, tnWeight: 1 },
};

const MINUTE = 60_000;
const ROWS = 100;
/** Every series: 100 rows, rows 0–14 in probation, one window on rows 50–59. */
const WINDOW_START = 50;

function series(name: string): NabSeries {
  return {
    name,
    timestamps: Array.from({ length: ROWS }, (_, i) => i * MINUTE),
    values: new Array<number>(ROWS).fill(0),
    windows: [[WINDOW_START * MINUTE, (WINDOW_START + 9) * MINUTE]],
  };
}

/** Scores for one series: the given rows get the given score, every other row 0. */
function firing(high: Record<number, number>): Float64Array {
  const out = new Float64Array(ROWS);
  for (const [row, score] of Object.entries(high)) out[Number(row)] = score;
  return out;
}

const CORPUS = [series('a/one.csv'), series('b/one.csv'), series('c/one.csv')];

function candidate(label: string, byCategory: Record<string, Record<number, number>>): Candidate {
  return { label, scores: new Map(CORPUS.map((s) => [s.name, firing(byCategory[categoryOf(s.name)] ?? {})])) };
}

describe('leave-one-category-out cross-validation', () => {
  it("does not give the held-out category the parameters that are best on it when the other categories prefer others", () => {
    // `ab` detects the windows of a and b and misses c's; `c` does the opposite. c has three
    // files, so on the whole corpus `c` wins (three windows to two); held out, c must get `ab`
    // (chosen on a and b alone) and miss its windows.
    const corpus = [...CORPUS, series('c/two.csv'), series('c/three.csv')];
    const make = (label: string, categories: string[]): Candidate => ({
      label,
      scores: new Map(corpus.map((s) => [s.name, firing(categories.includes(categoryOf(s.name)) ? { [WINDOW_START]: 1 } : {})])),
    });
    const cv = crossValidate(corpus, [make('c', ['c']), make('ab', ['a', 'b'])], PROFILES).standard;
    const c = cv.folds.find((f) => f.heldOut === 'c')!;
    expect(c.chosen).toBe('ab');
    expect(c.test).toMatchObject({ tp: 0, fn: 3, fp: 0 });
    expect(c.test.raw).toBe(-3);
    expect(cv.folds.find((f) => f.heldOut === 'a')!.chosen).toBe('c');
    expect(cv.final.chosen).toBe('c');
  });

  it('fixes the threshold on the training categories: a held-out detection below it does not count', () => {
    // In a and b the true detections score 0.9 and false ones 0.5 (before the windows), so the
    // best threshold there is 0.9. In c the true detection scores only 0.6: at its own best
    // threshold it would count, at the one fitted on a and b it must not.
    const scores = candidate('one', {
      a: { 20: 0.5, 25: 0.5, 30: 0.5, [WINDOW_START]: 0.9 },
      b: { 20: 0.5, 25: 0.5, 30: 0.5, [WINDOW_START]: 0.9 },
      c: { [WINDOW_START]: 0.6 },
    });
    const c = crossValidate(CORPUS, [scores], PROFILES).standard.folds.find((f) => f.heldOut === 'c')!;
    expect(c.threshold).toBe(0.9);
    expect(c.test.tp).toBe(0);
    expect(scoreCorpus([CORPUS[2]!], scores.scores, PROFILES).standard.tp).toBe(1);
  });

  it('sums the held-out raw scores and normalises them against the null and perfect detectors of the whole corpus', () => {
    const ab = candidate('ab', { a: { [WINDOW_START]: 1 }, b: { [WINDOW_START + 5]: 1 } });
    const cv = crossValidate(CORPUS, [ab], PROFILES);
    for (const profile of ['standard', 'reward_low_FN_rate'] as const) {
      const p = cv[profile];
      const raw = p.folds.reduce((sum, f) => sum + f.test.raw, 0);
      expect(p.raw).toBe(raw);
      // Three windows: null detects nothing (−3 · fnWeight), perfect detects all three at their start.
      const fn = PROFILES[profile].fnWeight;
      expect(p.nullRaw).toBe(-3 * fn);
      expect(p.perfectRaw).toBeCloseTo(3, 12);
      expect(p.score).toBeCloseTo((100 * (raw + 3 * fn)) / (3 + 3 * fn), 10);
    }
    // With one candidate and thresholds that agree, the cross-validated raw is the in-sample raw.
    expect(cv.standard.raw).toBeCloseTo(scoreCorpus(CORPUS, ab.scores, PROFILES).standard.raw, 12);
  });

  it('refuses a corpus of one category and an empty grid', () => {
    const one = [series('a/one.csv'), series('a/two.csv')];
    const scores = new Map(one.map((s) => [s.name, firing({})]));
    expect(() => crossValidate(one, [{ label: 'x', scores }], PROFILES)).toThrow(/two categories/);
    expect(() => crossValidate(CORPUS, [], PROFILES)).toThrow(/at least one candidate/);
  });
});

describe('scoring at a fixed threshold', () => {
  it("reproduces the sweep's raw score at the threshold the sweep chose, and adds up over disjoint parts", () => {
    const scores = candidate('mixed', {
      a: { 20: 0.4, [WINDOW_START + 3]: 0.7, 70: 0.8 },
      b: { [WINDOW_START]: 0.5, 62: 0.9 },
      c: { 90: 0.95 },
    }).scores;
    const swept = scoreCorpus(CORPUS, scores, PROFILES);
    const thresholds = { standard: swept.standard.threshold, reward_low_FP_rate: swept.reward_low_FP_rate.threshold, reward_low_FN_rate: swept.reward_low_FN_rate.threshold };
    const fixed = scoreAtThresholds(CORPUS, scores, PROFILES, thresholds);
    for (const p of ['standard', 'reward_low_FP_rate', 'reward_low_FN_rate'] as const) {
      expect(fixed[p].raw).toBeCloseTo(swept[p].raw, 12);
      expect(fixed[p]).toMatchObject({ tp: swept[p].tp, fp: swept[p].fp, fn: swept[p].fn });
      const parts = CORPUS.map((s) => scoreAtThresholds([s], scores, PROFILES, thresholds)[p].raw);
      expect(parts.reduce((x, y) => x + y, 0)).toBeCloseTo(fixed[p].raw, 12);
    }
  });
});

describe('the declared grid', () => {
  it('lists every combination once, the shipped defaults first', () => {
    const points = gridPoints();
    const size = Object.values(NAB_GRID).reduce((n, values) => n * values.length, 1);
    expect(points).toHaveLength(size);
    expect(new Set(points.map((p) => p.label)).size).toBe(size);
    expect(defaultPoint(points)).toBe(points[0]);
    for (const [name, values] of Object.entries(NAB_GRID)) expect((NAB_SPEC as unknown as Record<string, unknown>)[name]).toBe(values[0]);
  });
});
