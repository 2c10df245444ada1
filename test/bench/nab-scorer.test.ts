import { describe, expect, it } from 'vitest';
import type { NabSeries } from '../../bench/nab/corpus.ts';
import { labelRows, probationLength, type Profiles, scoreCorpus } from '../../bench/nab/scorer.ts';

// NAB's three profiles, written out so that these tests never read the shared corpus.
const PROFILES: Profiles = {
  standard: { tpWeight: 1, fnWeight: 1, fpWeight: 0.11, tnWeight: 1 },
  reward_low_FP_rate: { tpWeight: 1, fnWeight: 1, fpWeight: 0.22, tnWeight: 1 },
  reward_low_FN_rate: { tpWeight: 1, fnWeight: 2, fpWeight: 0.11, tnWeight: 1 },
};

const MINUTE = 60_000;

/** `rows` rows one minute apart, windows given as inclusive [first row, last row]. */
function series(name: string, rows: number, windows: Array<[number, number]>): NabSeries {
  return {
    name,
    timestamps: Array.from({ length: rows }, (_, i) => i * MINUTE),
    values: new Array<number>(rows).fill(0),
    windows: windows.map(([a, b]) => [a * MINUTE, b * MINUTE]),
  };
}

/** Scores for one series: `high` rows get their given score, every other row 0. */
function firing(rows: number, high: Record<number, number>): Float64Array {
  const out = new Float64Array(rows);
  for (const [row, score] of Object.entries(high)) out[Number(row)] = score;
  return out;
}

// 40 rows: rows 0–5 are probation (floor(0.15 · 40) = 6); one window on rows 20–29 (width 10).
const ONE = series('cat/one.csv', 40, [[20, 29]]);

function scoreOne(high: Record<number, number>) {
  return scoreCorpus([ONE], new Map([[ONE.name, firing(40, high)]]), PROFILES);
}

describe('NAB scorer', () => {
  it('sets probation to 15% of the rows, capped at 750 rows', () => {
    expect(probationLength(40)).toBe(6);
    expect(probationLength(4032)).toBe(604);
    expect(probationLength(5000)).toBe(750);
    expect(probationLength(22_000)).toBe(750);
  });

  it('ignores detections in the probation rows but counts one on the first row after them', () => {
    const inProbation = scoreOne({ 0: 1, 1: 1, 2: 1, 3: 1, 4: 1, 5: 1, 20: 1 }).standard;
    expect(inProbation.raw).toBe(1);
    expect(inProbation.fp).toBe(0);
    // Row 6 lies before any window: a full false positive, −1 · fpWeight.
    const firstScored = scoreOne({ 6: 1, 20: 1 }).standard;
    expect(firstScored.raw).toBeCloseTo(1 - 0.11, 12);
    expect(firstScored.fp).toBe(1);
  });

  it('gives a window the sigmoid weight of its earliest detection, scaled so that the first row earns tpWeight', () => {
    // Row 25: position −(29 − 25 + 1)/10 = −0.5; (2σ(2.5) − 1)/(2σ(5) − 1) = 0.85979…
    expect(scoreOne({ 25: 1 }).standard.raw).toBeCloseTo(0.8597925669097837, 12);
    expect(scoreOne({ 20: 1 }).standard.raw).toBeCloseTo(1, 12);
    // The right edge still counts: position −0.1.
    expect(scoreOne({ 29: 1 }).standard.raw).toBeCloseTo(0.24824154977542992, 12);
  });

  it('makes further detections in a detected window free, whichever has the higher anomaly score', () => {
    expect(scoreOne({ 25: 1, 27: 1, 29: 1 }).standard.raw).toBeCloseTo(0.8597925669097837, 12);
    // Row 22 (position −0.8) is the earliest, though row 25 scores higher.
    const both = scoreOne({ 22: 0.6, 25: 0.9 }).standard;
    expect(both.raw).toBeCloseTo(0.9771068409226045, 12);
    expect(both.threshold).toBe(0.6);
  });

  it('keeps the higher threshold when a lower one only adds free detections (ties go up, as in NAB)', () => {
    const result = scoreOne({ 20: 0.9, 25: 0.5 }).standard;
    expect(result.raw).toBeCloseTo(1, 12);
    expect(result.threshold).toBe(0.9);
  });

  it('charges less for a false positive right after a window than for one far after it', () => {
    const labels = labelRows(ONE);
    // |29 − 30|/(10 − 1) = 1/9 and 10/9 past the window; −1 before any window.
    expect(labels.weight[30]).toBeCloseTo(-0.2708471185167214, 12);
    expect(labels.weight[39]).toBeCloseTo(-0.9922979352881395, 12);
    expect(labels.weight[10]).toBe(-1);
    const near = scoreOne({ 20: 1, 30: 1 }).standard.raw;
    const far = scoreOne({ 20: 1, 39: 1 }).standard.raw;
    expect(near).toBeCloseTo(1 - 0.11 * 0.2708471185167214, 12);
    expect(far).toBeCloseTo(1 - 0.11 * 0.9922979352881395, 12);
    expect(near).toBeGreaterThan(far);
  });

  it('charges fnWeight for each window without a detection', () => {
    // Long enough (70 scored rows before the first window) that flagging every row never pays.
    const two = series('cat/two.csv', 200, [
      [100, 104],
      [150, 154],
    ]);
    const result = scoreCorpus([two], new Map([[two.name, firing(200, { 100: 1 })]]), PROFILES);
    expect(result.standard.raw).toBeCloseTo(1 - 1, 12);
    expect(result.reward_low_FN_rate.raw).toBeCloseTo(1 - 2, 12);
    expect(result.standard).toMatchObject({ tp: 1, fn: 1, fp: 0 });
  });

  it('chooses one threshold for the whole corpus, the best of all distinct scores', () => {
    const a = series('cat/a.csv', 40, [[20, 29]]);
    const b = series('cat/b.csv', 40, [[20, 29]]);
    const scores = new Map([
      // Three false positives at 0.8 in a, its window at 0.9; b's window only at 0.7.
      [a.name, firing(40, { 10: 0.8, 11: 0.8, 12: 0.8, 20: 0.9 })],
      [b.name, firing(40, { 20: 0.7 })],
    ]);
    const result = scoreCorpus([a, b], scores, PROFILES).standard;
    // 0.9 → 1 − 1 = 0; 0.8 → −0.33; 0.7 → 2 − 0.33 = 1.67; 0 → every row of both series.
    // (Each file at its own best threshold would add up to 2 instead.)
    expect(result.threshold).toBe(0.7);
    expect(result.raw).toBeCloseTo(2 - 3 * 0.11, 12);
    expect(result).toMatchObject({ tp: 2, fp: 3, fn: 0 });
  });

  it('detects nothing (threshold Infinity) when every threshold costs more than it earns', () => {
    const result = scoreOne({ 8: 1, 9: 1 }).standard;
    expect(result.threshold).toBe(Number.POSITIVE_INFINITY);
    expect(result.raw).toBe(-1);
  });

  it('reads anomaly scores to 12 significant digits, as NAB results files hold them', () => {
    // At full precision the window (…94) would be detected alone; NAB sees both rows as 0.999999999999.
    const result = scoreOne({ 10: 0.9999999999991, 20: 0.9999999999994 }).standard;
    expect(result.threshold).toBe(0.999999999999);
    expect(result.raw).toBeCloseTo(1 - 0.11, 12);
  });

  it('normalises a perfect detector to 100 and the null detector to 0 under every profile', () => {
    // Long enough that flagging every row never pays, so the null detector's best is to flag none.
    const a = series('cat/a.csv', 200, [[100, 109]]);
    const b = series('cat/b.csv', 300, [
      [100, 105],
      [200, 205],
    ]);
    const corpus = [a, b];
    const perfect = scoreCorpus(
      corpus,
      new Map([
        [a.name, firing(200, { 100: 1 })],
        [b.name, firing(300, { 100: 1, 200: 1 })],
      ]),
      PROFILES,
    );
    const nullScores = new Map(corpus.map((s) => [s.name, new Float64Array(s.values.length).fill(0.5)]));
    const none = scoreCorpus(corpus, nullScores, PROFILES);
    for (const profile of ['standard', 'reward_low_FP_rate', 'reward_low_FN_rate'] as const) {
      expect(perfect[profile].score).toBe(100);
      expect(none[profile].score).toBe(0);
      expect(perfect[profile].perfectRaw).toBeCloseTo(3 * PROFILES[profile].tpWeight, 12);
      expect(perfect[profile].nullRaw).toBe(-3 * PROFILES[profile].fnWeight);
    }
    // One window of three at its first row: raw 1 − 2 = −1, so 100 · (−1 − (−3)) / (3 − (−3)) = 33.33…
    const half = scoreCorpus(
      corpus,
      new Map([
        [a.name, firing(200, {})],
        [b.name, firing(300, { 100: 1 })],
      ]),
      PROFILES,
    );
    expect(half.standard.raw).toBeCloseTo(-1, 12);
    expect(half.standard.score).toBe(33.3333333333);
  });

  it('rejects scores that are missing, the wrong length or not finite', () => {
    expect(() => scoreCorpus([ONE], new Map(), PROFILES)).toThrow(/no anomaly scores for cat\/one.csv/);
    expect(() => scoreCorpus([ONE], new Map([[ONE.name, new Float64Array(39)]]), PROFILES)).toThrow(/39 anomaly scores for 40 rows/);
    expect(() => scoreCorpus([ONE], new Map([[ONE.name, firing(40, { 30: Number.NaN })]]), PROFILES)).toThrow(/row 30/);
  });

  it('rejects a window that does not start and end on a row', () => {
    const off = { ...ONE, windows: [[20 * MINUTE + 1, 29 * MINUTE]] as Array<[number, number]> };
    expect(() => scoreCorpus([off], new Map([[off.name, new Float64Array(40)]]), PROFILES)).toThrow(/must start and end on rows/);
  });
});
