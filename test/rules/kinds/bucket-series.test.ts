import { describe, expect, it } from 'vitest';
import { BucketSeries, type SeriesPoint } from '../../../src/rules/kinds/anomaly/bucket-series.ts';

const START = Date.UTC(2026, 10, 2);
const QUARTER = 15 * 60_000;

/** What the series held as a list of points did: push, and drop the oldest past the length. */
function listed(pushes: number, length: number): SeriesPoint[] {
  const list: SeriesPoint[] = [];
  for (let k = 0; k < pushes; k++) {
    list.push({ t: new Date(START + k * QUARTER).toISOString(), value: k, baseline: k / 2, low: k - 3, high: k + 3 });
    if (list.length > length) list.shift();
  }
  return list;
}

function ringed(pushes: number, length: number): BucketSeries {
  const series = new BucketSeries(length);
  for (let k = 0; k < pushes; k++) series.push(START + k * QUARTER, k, k / 2, k - 3, k + 3);
  return series;
}

describe('BucketSeries', () => {
  it('keeps the newest points, oldest first, as a list dropping its oldest did', () => {
    for (const length of [0, 1, 2, 24]) {
      for (const pushes of [0, 1, length, length + 1, 3 * length + 5, 1000]) {
        expect(ringed(pushes, length).points(), `${pushes} pushes into ${length}`).toEqual(listed(pushes, length));
      }
    }
  });

  it('comes back from its saved JSON the same, a NaN saved as null included', () => {
    const series = ringed(30, 24);
    series.push(START + 30 * QUARTER, 0, Number.NaN, Number.NaN, Number.NaN);
    const saved = JSON.parse(JSON.stringify(series.points())) as SeriesPoint[];
    expect(saved.at(-1)).toEqual({ t: new Date(START + 30 * QUARTER).toISOString(), value: 0, baseline: null, low: null, high: null });
    const restored = BucketSeries.from(saved, 24);
    expect(restored.points()).toEqual(series.points());
    expect(restored.points().at(-1)!.baseline).toBeNaN();
    // It goes on as the saved one would.
    restored.push(START + 31 * QUARTER, 1, 2, 0, 4);
    series.push(START + 31 * QUARTER, 1, 2, 0, 4);
    expect(JSON.stringify(restored.points())).toBe(JSON.stringify(series.points()));
  });
});
