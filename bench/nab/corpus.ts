/**
 * Reads the Numenta Anomaly Benchmark corpus (`data/<category>/<file>.csv`, `combined_windows.json`,
 * `profiles.json`) into plain arrays. The corpus is read where it lies and never copied into the repo.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseCsv } from 'csv-parse/sync';
import { z } from 'zod';
import { ConfigError } from '../../src/errors.ts';
import type { Profiles } from './scorer.ts';

/** One series of the corpus with its labelled anomaly windows. */
export interface NabSeries {
  /** Path relative to `data/`, as NAB names it: `realTraffic/speed_6005.csv`. */
  name: string;
  /** Epoch ms; NAB timestamps carry no zone and are read as UTC. */
  timestamps: number[];
  values: number[];
  /** Inclusive [start, end] of each labelled window, epoch ms, in time order. */
  windows: Array<[number, number]>;
}

/** `../shared/data/nab-dev` beside the repo, unless `NAB_DIR` says otherwise. */
export function defaultNabDir(): string {
  const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  return process.env.NAB_DIR ?? path.resolve(repoRoot, '../shared/data/nab-dev');
}

const WindowsSchema = z.record(z.string(), z.array(z.tuple([z.string(), z.string()])));

const CostMatrixSchema = z.object({
  tpWeight: z.number(),
  fnWeight: z.number(),
  fpWeight: z.number(),
  tnWeight: z.number(),
});
const ProfileSchema = z.object({ CostMatrix: CostMatrixSchema });
const ProfilesSchema = z.object({
  standard: ProfileSchema,
  reward_low_FP_rate: ProfileSchema,
  reward_low_FN_rate: ProfileSchema,
});

// NAB writes `2014-04-10 07:15:00` in the data and `2014-04-10 07:15:00.000000` in the labels.
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?$/;

/** Epoch ms of a NAB timestamp string, read as UTC; NaN when it is not in NAB's format. */
export function parseNabTimestamp(text: string): number {
  const m = TIMESTAMP.exec(text);
  if (!m) return Number.NaN;
  const [, y, mo, d, h, mi, s, frac] = m;
  const ms = frac === undefined ? 0 : Math.floor(Number(frac.padEnd(6, '0')) / 1000);
  return Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
}

/** The data files' format (`2014-04-10 07:15:00`) of an epoch-ms timestamp. */
export function formatNabTimestamp(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

function requireDir(dir: string): void {
  if (!fs.existsSync(path.join(dir, 'data')) || !fs.existsSync(path.join(dir, 'combined_windows.json'))) {
    throw new ConfigError(
      `no NAB corpus at ${dir}: expected data/<category>/<file>.csv and combined_windows.json there (set NAB_DIR to point elsewhere)`,
    );
  }
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new ConfigError(`cannot read ${file} as JSON`, { cause });
  }
}

function readSeries(dir: string, name: string, labelled: ReadonlyArray<readonly [string, string]>): NabSeries {
  const file = path.join(dir, 'data', name);
  const rows = parseCsv(fs.readFileSync(file, 'utf8'), { columns: true, skip_empty_lines: true }) as Array<
    Record<string, string | undefined>
  >;
  const timestamps: number[] = [];
  const values: number[] = [];
  rows.forEach((row, i) => {
    const t = parseNabTimestamp(row.timestamp ?? '');
    const v = Number(row.value);
    if (Number.isNaN(t) || row.value === undefined || row.value === '' || Number.isNaN(v)) {
      throw new ConfigError(`${file}: row ${i + 2} is not "timestamp,value" in NAB's format`);
    }
    timestamps.push(t);
    values.push(v);
  });
  const windows = labelled.map(([start, end]): [number, number] => {
    const window: [number, number] = [parseNabTimestamp(start), parseNabTimestamp(end)];
    if (window.some(Number.isNaN)) throw new ConfigError(`${name}: window [${start}, ${end}] has an unreadable timestamp`);
    return window;
  });
  windows.sort((a, b) => a[0] - b[0]);
  return { name, timestamps, values, windows };
}

/**
 * Every series under `dir/data`, sorted by name, with its windows from `combined_windows.json`.
 * A data file without a labels entry, or a labels entry without a data file, is an error: scoring
 * a partial corpus would silently change every normalised score.
 */
export function loadCorpus(dir: string = defaultNabDir()): NabSeries[] {
  requireDir(dir);
  const parsed = WindowsSchema.safeParse(readJson(path.join(dir, 'combined_windows.json')));
  if (!parsed.success) throw new ConfigError(`${dir}/combined_windows.json: ${z.prettifyError(parsed.error)}`);
  const labels = parsed.data;
  const names = fs
    .readdirSync(path.join(dir, 'data'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((category) =>
      fs
        .readdirSync(path.join(dir, 'data', category.name))
        .filter((file) => file.endsWith('.csv'))
        .map((file) => `${category.name}/${file}`),
    )
    .sort();
  const unlabelled = names.filter((name) => !(name in labels));
  const missing = Object.keys(labels).filter((name) => !names.includes(name));
  if (unlabelled.length > 0 || missing.length > 0) {
    throw new ConfigError(
      `${dir}: data files and combined_windows.json disagree (no labels: ${unlabelled.join(', ') || 'none'}; no data: ${missing.join(', ') || 'none'})`,
    );
  }
  return names.map((name) => readSeries(dir, name, labels[name] ?? []));
}

/** The three NAB cost profiles from `dir/profiles.json`. */
export function loadProfiles(dir: string = defaultNabDir()): Profiles {
  requireDir(dir);
  const parsed = ProfilesSchema.safeParse(readJson(path.join(dir, 'profiles.json')));
  if (!parsed.success) throw new ConfigError(`${dir}/profiles.json: ${z.prettifyError(parsed.error)}`);
  const profiles = parsed.data;
  return {
    standard: profiles.standard.CostMatrix,
    reward_low_FP_rate: profiles.reward_low_FP_rate.CostMatrix,
    reward_low_FN_rate: profiles.reward_low_FN_rate.CostMatrix,
  };
}
