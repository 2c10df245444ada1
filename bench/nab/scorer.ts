/**
 * The Numenta Anomaly Benchmark scorer, following NAB's `nab/sweeper.py` (row weights and the
 * threshold sweep), `nab/optimizer.py` (one threshold for the whole corpus) and `nab/runner.py`
 * (normalisation against the null and perfect detectors). Pure functions, no file I/O.
 *
 * Speed: the row weights do not depend on the detector or the profile, and the detector's scores
 * are sorted once; each profile is then one linear sweep over the sorted rows, so a corpus of
 * ~150k rows scores in tens of milliseconds.
 */
import type { NabSeries } from './corpus.ts';

export const PROFILE_NAMES = ['standard', 'reward_low_FP_rate', 'reward_low_FN_rate'] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

/** A NAB cost profile. `tnWeight` is read but, as in NAB, never used. */
export interface CostMatrix {
  tpWeight: number;
  fnWeight: number;
  fpWeight: number;
  tnWeight: number;
}
export type Profiles = Record<ProfileName, CostMatrix>;

/** One profile's result for a detector over the whole corpus, at the corpus-wide best threshold. */
export interface ProfileScore {
  /** Normalised: 100 for the perfect detector, 0 for the null detector; 12 significant digits, as NAB. */
  score: number;
  /** Sum of the TP, FP and FN terms at `threshold`. */
  raw: number;
  /** A row is a detection when its anomaly score is >= this; `Infinity` when detecting nothing is best. */
  threshold: number;
  /** Windows with at least one detection. */
  tp: number;
  /** Detections outside every window (probation rows excluded). */
  fp: number;
  /** Windows without a detection. */
  fn: number;
  /** Raw score of the constant-0.5 detector at its own best threshold. */
  nullRaw: number;
  /** Raw score of a detector firing once at the first scorable row of every window. */
  perfectRaw: number;
}

export interface ScoreOptions {
  /**
   * Share of each file's rows (capped at `probationPercent · 5000`) that is not scored.
   * @default 0.15
   */
  probationPercent?: number;
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** NAB's `scaledSigmoid`: +0.987 at x = −1, 0 at x = 0, −1 from x > 3 on. */
export function scaledSigmoid(x: number): number {
  return x > 3 ? -1 : 2 * sigmoid(-5 * x) - 1;
}

/** NAB divides every TP weight by this, so that a detection at a window's first row earns exactly tpWeight. */
const MAX_TP = scaledSigmoid(-1);

/** NAB's `min(floor(p · n), p · 5000)`: rows before this index are not scored. */
export function probationLength(rows: number, probationPercent = 0.15): number {
  return Math.min(Math.floor(probationPercent * rows), probationPercent * 5000);
}

/** Per-row sweep labels of one series, before any profile weight is applied. */
export interface RowLabels {
  /** Rows with index below this are in probation and not scored. */
  probation: number;
  /** Index of the window the row lies in (into `series.windows`), or −1 outside every window. */
  window: Int32Array;
  /** NAB's unweighted sweep score: positive inside a window, negative outside. */
  weight: Float64Array;
}

function windowRows(series: NabSeries): Array<[number, number]> {
  const index = new Map<number, number>();
  series.timestamps.forEach((t, i) => {
    if (!index.has(t)) index.set(t, i);
  });
  let previousEnd = -1;
  return series.windows.map(([start, end]) => {
    const first = index.get(start);
    const last = index.get(end);
    // NAB finds windows by exact timestamp equality; a window that matches no row would be skipped there.
    if (first === undefined || last === undefined || last < first || first <= previousEnd) {
      throw new RangeError(
        `${series.name}: window [${new Date(start).toISOString()}, ${new Date(end).toISOString()}] must start and end on rows' timestamps, in order, without overlapping another`,
      );
    }
    previousEnd = last;
    return [first, last];
  });
}

/**
 * NAB's `Sweeper.calcSweepScore` without the profile weights: inside a window a row weighs
 * scaledSigmoid(−(right − i + 1)/width), so earlier rows weigh more; after a window it weighs
 * scaledSigmoid(|prevRight − i|/(prevWidth − 1)), a small cost right after the window growing to −1;
 * before the first window every row weighs −1.
 */
export function labelRows(series: NabSeries, probationPercent = 0.15): RowLabels {
  const n = series.timestamps.length;
  const bounds = windowRows(series);
  const window = new Int32Array(n).fill(-1);
  const weight = new Float64Array(n);
  let next = 0;
  let current = -1;
  let previousRight = -1;
  let previousWidth = 0;
  for (let i = 0; i < n; i++) {
    if (current < 0 && bounds[next]?.[0] === i) current = next++;
    const inside = bounds[current];
    if (inside) {
      const [left, right] = inside;
      window[i] = current;
      weight[i] = scaledSigmoid(-(right - i + 1) / (right - left + 1));
      // NAB leaves the window only after scoring its last row: the right edge can still be a TP.
      if (i === right) {
        previousRight = right;
        previousWidth = right - left + 1;
        current = -1;
      }
    } else {
      // A one-row previous window divides by zero: Infinity, so −1 (NAB would raise there).
      weight[i] = previousRight < 0 ? -1 : scaledSigmoid(Math.abs(previousRight - i) / (previousWidth - 1));
    }
  }
  return { probation: probationLength(n, probationPercent), window, weight };
}

/** The scorable rows of a whole corpus, flattened; windows renumbered corpus-wide. */
interface CorpusRows {
  weight: Float64Array;
  /** Corpus-wide window id, or −1 outside every window. */
  window: Int32Array;
  windowCount: number;
  /** Where each scorable row comes from, to gather a detector's scores. */
  series: Uint32Array;
  row: Uint32Array;
}

function corpusRows(corpus: readonly NabSeries[], probationPercent: number): CorpusRows {
  const labels = corpus.map((series) => labelRows(series, probationPercent));
  const total = labels.reduce((sum, l) => sum + Math.max(0, l.window.length - Math.ceil(l.probation)), 0);
  const rows: CorpusRows = {
    weight: new Float64Array(total),
    window: new Int32Array(total),
    windowCount: 0,
    series: new Uint32Array(total),
    row: new Uint32Array(total),
  };
  let k = 0;
  labels.forEach((l, s) => {
    // Only windows with a scorable row exist for the scorer (a window wholly in probation is no FN).
    const ids = new Map<number, number>();
    for (let i = Math.ceil(l.probation); i < l.window.length; i++) {
      const local = l.window[i]!;
      let id = -1;
      if (local >= 0) {
        if (!ids.has(local)) ids.set(local, rows.windowCount++);
        id = ids.get(local)!;
      }
      rows.weight[k] = l.weight[i]!;
      rows.window[k] = id;
      rows.series[k] = s;
      rows.row[k] = i;
      k++;
    }
  });
  return rows;
}

interface SweepResult {
  raw: number;
  threshold: number;
  tp: number;
  fp: number;
  fn: number;
}

/**
 * NAB's `calcScoreByThreshold` plus the optimiser's pick: walk the rows from the highest anomaly
 * score down, each row becoming a detection in turn, and evaluate the total after every run of equal
 * scores. A window is worth its best (earliest) detection, so further detections in it are free; an
 * undetected window costs fnWeight. Ties between totals go to the higher threshold, as NAB's stable
 * sort of the thresholds does.
 */
function sweep(rows: CorpusRows, anomaly: Float64Array, order: Uint32Array, cost: CostMatrix): SweepResult {
  const tpScale = cost.tpWeight / MAX_TP;
  const windowPart = new Float64Array(rows.windowCount).fill(-cost.fnWeight);
  const hit = new Uint8Array(rows.windowCount);
  let total = -cost.fnWeight * rows.windowCount;
  let tp = 0;
  let fp = 0;
  let best: SweepResult = { raw: total, threshold: Number.POSITIVE_INFINITY, tp, fp, fn: rows.windowCount };
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    const w = rows.window[i]!;
    if (w < 0) {
      total += rows.weight[i]! * cost.fpWeight;
      fp += 1;
    } else {
      if (hit[w] === 0) {
        hit[w] = 1;
        tp += 1;
      }
      const part = rows.weight[i]! * tpScale;
      if (part > windowPart[w]!) {
        total += part - windowPart[w]!;
        windowPart[w] = part;
      }
    }
    const score = anomaly[i]!;
    const nextIndex = order[k + 1];
    if ((nextIndex === undefined || anomaly[nextIndex] !== score) && total > best.raw) {
      best = { raw: total, threshold: score, tp, fp, fn: rows.windowCount - tp };
    }
  }
  return best;
}

/** Row indices by anomaly score, highest first. */
function descending(anomaly: Float64Array): Uint32Array {
  const order = new Uint32Array(anomaly.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  return order.sort((a, b) => anomaly[b]! - anomaly[a]!);
}

/**
 * NAB's published scores were computed from results files whose anomaly scores carry 12
 * significant digits, and NAB rounds its final scores the same way. The input rounding matters:
 * windowedGaussian's scores crowd just below 1, and at full precision they split into thresholds
 * NAB never saw (on nab-dev its reward_low_FP_rate score would read 29.34 instead of 26.48).
 */
export function round12(x: number): number {
  return Number(x.toPrecision(12));
}

function gatherScores(corpus: readonly NabSeries[], rows: CorpusRows, scores: ReadonlyMap<string, ArrayLike<number>>) {
  const bySeries = corpus.map((series) => {
    const got = scores.get(series.name);
    if (got === undefined) throw new RangeError(`no anomaly scores for ${series.name}`);
    if (got.length !== series.timestamps.length) {
      throw new RangeError(`${series.name}: ${got.length} anomaly scores for ${series.timestamps.length} rows`);
    }
    return got;
  });
  const anomaly = new Float64Array(rows.row.length);
  for (let k = 0; k < anomaly.length; k++) {
    const s = rows.series[k]!;
    const value = bySeries[s]![rows.row[k]!]!;
    if (!Number.isFinite(value)) {
      throw new RangeError(`${corpus[s]!.name}: anomaly score ${value} at row ${rows.row[k]} is not a finite number`);
    }
    anomaly[k] = round12(value);
  }
  return anomaly;
}

/** The sweep's terms with the threshold given rather than chosen: every row scoring >= it is a detection. */
function atThreshold(rows: CorpusRows, anomaly: Float64Array, cost: CostMatrix, threshold: number): SweepResult {
  const tpScale = cost.tpWeight / MAX_TP;
  const windowPart = new Float64Array(rows.windowCount).fill(-cost.fnWeight);
  let fp = 0;
  let total = -cost.fnWeight * rows.windowCount;
  for (let k = 0; k < anomaly.length; k++) {
    if (!(anomaly[k]! >= threshold)) continue;
    const w = rows.window[k]!;
    if (w < 0) {
      total += rows.weight[k]! * cost.fpWeight;
      fp += 1;
    } else {
      const part = rows.weight[k]! * tpScale;
      if (part > windowPart[w]!) {
        total += part - windowPart[w]!;
        windowPart[w] = part;
      }
    }
  }
  let tp = 0;
  for (const part of windowPart) if (part !== -cost.fnWeight) tp += 1;
  return { raw: total, threshold, tp, fp, fn: rows.windowCount - tp };
}

/** Ones at the first scorable row of every window, zeros elsewhere. */
function perfectScores(rows: CorpusRows): Float64Array {
  const anomaly = new Float64Array(rows.row.length);
  const seen = new Uint8Array(rows.windowCount);
  rows.window.forEach((w, k) => {
    if (w >= 0 && seen[w] === 0) {
      seen[w] = 1;
      anomaly[k] = 1;
    }
  });
  return anomaly;
}

/**
 * Scores a detector over a corpus for every profile. `scores` maps each series name to one anomaly
 * score per row (in [0, 1] for NAB detectors, though any finite number sorts). One threshold serves
 * the whole corpus: the best of "detect nothing" and every distinct score, per profile.
 *
 * Normalised score = 100 · (raw − null) / (perfect − null), where null is the constant-0.5 detector
 * at its best threshold and perfect fires once at the first scorable row of every window. The latter
 * equals NAB's `windowCount · tpWeight` whenever no window starts inside probation.
 */
export function scoreCorpus(
  corpus: readonly NabSeries[],
  scores: ReadonlyMap<string, ArrayLike<number>>,
  profiles: Profiles,
  { probationPercent = 0.15 }: ScoreOptions = {},
): Record<ProfileName, ProfileScore> {
  const rows = corpusRows(corpus, probationPercent);
  const anomaly = gatherScores(corpus, rows, scores);
  const order = descending(anomaly);
  const nullAnomaly = new Float64Array(rows.row.length).fill(0.5);
  const nullOrder = descending(nullAnomaly);
  const perfectAnomaly = perfectScores(rows);
  const perfectOrder = descending(perfectAnomaly);
  const result = {} as Record<ProfileName, ProfileScore>;
  for (const name of PROFILE_NAMES) {
    const cost = profiles[name];
    const best = sweep(rows, anomaly, order, cost);
    const nullRaw = sweep(rows, nullAnomaly, nullOrder, cost).raw;
    const perfectRaw = sweep(rows, perfectAnomaly, perfectOrder, cost).raw;
    result[name] = { ...best, score: round12((100 * (best.raw - nullRaw)) / (perfectRaw - nullRaw)), nullRaw, perfectRaw };
  }
  return result;
}

/** A detector's terms on a corpus at a threshold fixed beforehand (chosen on other data). */
export interface FixedThresholdScore {
  raw: number;
  threshold: number;
  tp: number;
  fp: number;
  fn: number;
}

/**
 * Scores a detector at a threshold that was chosen elsewhere, per profile: the raw sum of TP, FP
 * and FN terms with no sweep. Raw scores at a fixed threshold add up over series, so the raw
 * scores of disjoint parts of a corpus sum to the raw score of the whole at those thresholds.
 */
export function scoreAtThresholds(
  corpus: readonly NabSeries[],
  scores: ReadonlyMap<string, ArrayLike<number>>,
  profiles: Profiles,
  thresholds: Record<ProfileName, number>,
  { probationPercent = 0.15 }: ScoreOptions = {},
): Record<ProfileName, FixedThresholdScore> {
  const rows = corpusRows(corpus, probationPercent);
  const anomaly = gatherScores(corpus, rows, scores);
  const result = {} as Record<ProfileName, FixedThresholdScore>;
  for (const name of PROFILE_NAMES) result[name] = atThreshold(rows, anomaly, profiles[name], thresholds[name]);
  return result;
}
