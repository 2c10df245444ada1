import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatNabTimestamp, loadCorpus, loadProfiles, parseNabTimestamp } from '../../bench/nab/corpus.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** A two-file corpus in NAB's layout, in a temp dir. */
function tinyCorpus(windows: Record<string, Array<[string, string]>>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nab-'));
  dirs.push(dir);
  fs.mkdirSync(path.join(dir, 'data', 'realTraffic'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'data', 'artificialNoAnomaly'), { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'data', 'realTraffic', 'speed_1.csv'),
    'timestamp,value\n2015-08-31 18:22:00,90\n2015-08-31 18:32:00,80.5\n2015-08-31 18:42:00,84\n',
  );
  fs.writeFileSync(path.join(dir, 'data', 'artificialNoAnomaly', 'flat.csv'), 'timestamp,value\n2014-04-01 00:00:00,1\n');
  fs.writeFileSync(path.join(dir, 'combined_windows.json'), JSON.stringify(windows));
  const profile = (fp: number, fn: number) => ({ CostMatrix: { tpWeight: 1, fnWeight: fn, fpWeight: fp, tnWeight: 1 } });
  fs.writeFileSync(
    path.join(dir, 'profiles.json'),
    JSON.stringify({ standard: profile(0.11, 1), reward_low_FP_rate: profile(0.22, 1), reward_low_FN_rate: profile(0.11, 2) }),
  );
  return dir;
}

describe('NAB corpus loader', () => {
  it('reads timestamps as UTC, with or without the labels’ microseconds', () => {
    expect(parseNabTimestamp('2014-04-10 07:15:00')).toBe(Date.UTC(2014, 3, 10, 7, 15, 0));
    expect(parseNabTimestamp('2014-04-10 07:15:00.000000')).toBe(Date.UTC(2014, 3, 10, 7, 15, 0));
    expect(parseNabTimestamp('10/04/2014 07:15')).toBeNaN();
    expect(formatNabTimestamp(Date.UTC(2014, 3, 10, 7, 15, 0))).toBe('2014-04-10 07:15:00');
  });

  it('loads every series sorted by name, with its windows in epoch ms', () => {
    const dir = tinyCorpus({
      'realTraffic/speed_1.csv': [['2015-08-31 18:32:00.000000', '2015-08-31 18:42:00.000000']],
      'artificialNoAnomaly/flat.csv': [],
    });
    const corpus = loadCorpus(dir);
    expect(corpus.map((s) => s.name)).toEqual(['artificialNoAnomaly/flat.csv', 'realTraffic/speed_1.csv']);
    expect(corpus[1]).toEqual({
      name: 'realTraffic/speed_1.csv',
      timestamps: [Date.UTC(2015, 7, 31, 18, 22), Date.UTC(2015, 7, 31, 18, 32), Date.UTC(2015, 7, 31, 18, 42)],
      values: [90, 80.5, 84],
      windows: [[Date.UTC(2015, 7, 31, 18, 32), Date.UTC(2015, 7, 31, 18, 42)]],
    });
    expect(loadProfiles(dir).reward_low_FN_rate).toEqual({ tpWeight: 1, fnWeight: 2, fpWeight: 0.11, tnWeight: 1 });
  });

  it('refuses a corpus whose labels and data files disagree', () => {
    const dir = tinyCorpus({ 'realTraffic/speed_1.csv': [] });
    expect(() => loadCorpus(dir)).toThrow(/no labels: artificialNoAnomaly\/flat.csv/);
  });

  it('names the directory and NAB_DIR when the corpus is missing', () => {
    const missing = path.join(os.tmpdir(), 'no-such-nab-dir');
    expect(() => loadCorpus(missing)).toThrow(expect.objectContaining({ code: 'ERR_CONFIG', message: expect.stringContaining('NAB_DIR') }));
  });
});
