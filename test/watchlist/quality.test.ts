import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadWatchlistFile } from '../../src/watchlist/load-watchlist.ts';
import { labelledQueries, qualityCurve } from '../../bench/watchlist-synthetic.ts';
import { buildWatchlistIndex } from '../../src/watchlist/watchlist-index.ts';
import { ROOT } from '../helpers.ts';

// The full measurement (and the speed target) is bench/watchlist.bench.ts; this keeps a
// small seeded version of it from regressing, with a margin below the bench's figures.
describe('screening quality on a labelled set from the UN list', () => {
  it('finds at least 93% of listed people in their variants, with at least 95% of alerts right, at the default threshold', () => {
    const un = loadWatchlistFile(path.join(ROOT, 'rules', 'watchlists', 'un-sc.json'));
    const index = buildWatchlistIndex(un);
    const set = labelledQueries(un.entries, index, { seed: 99, perPerson: 2, negatives: 2000 });
    const [point] = qualityCurve(index, set, [0.9]);
    expect(point!.positives).toBeGreaterThan(1000);
    expect(point!.recall).toBeGreaterThanOrEqual(0.93);
    expect(point!.precision).toBeGreaterThanOrEqual(0.95);
  });
});
