import { describe, expect, it } from 'vitest';
import { labelRows } from '../../bench/nab/scorer.ts';
import { syntheticCorpus } from '../../bench/nab/synthetic.ts';

describe('synthetic NAB-like corpus', () => {
  it('gives the same series for the same seed and other series for another seed', () => {
    const a = syntheticCorpus(19);
    expect(syntheticCorpus(19)).toEqual(a);
    expect(syntheticCorpus(20)[0]!.values).not.toEqual(a[0]!.values);
  });

  it('labels windows as NAB does: on rows, in order, 10% of each file shared among its windows', () => {
    for (const series of syntheticCorpus()) {
      const labels = labelRows(series);
      const inside = labels.window.reduce((n, w) => n + (w >= 0 ? 1 : 0), 0);
      expect(inside / series.values.length).toBeGreaterThan(0.09);
      expect(inside / series.values.length).toBeLessThanOrEqual(0.1);
      expect(series.values.every(Number.isFinite)).toBe(true);
    }
  });

  it('has count series of whole non-negative numbers, as tweet volumes are', () => {
    const tweets = syntheticCorpus().filter((s) => s.name.includes('tweets'));
    expect(tweets).toHaveLength(2);
    for (const s of tweets) expect(s.values.every((v) => Number.isInteger(v) && v >= 0)).toBe(true);
  });
});
