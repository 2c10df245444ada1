/**
 * Runs a streaming detector over a NAB corpus and keeps its output the way NAB's results files do.
 */
import fs from 'node:fs';
import path from 'node:path';
import { formatNabTimestamp, type NabSeries } from './corpus.ts';
import type { DetectorFactory } from './reference-detectors.ts';
import { round12 } from './scorer.ts';

export interface DetectorRun {
  /** One anomaly score per row, keyed by series name, as `scoreCorpus` takes them. */
  scores: Map<string, Float64Array>;
  /** Wall time spent inside the detector, all series together. */
  ms: number;
  rows: number;
}

/** A fresh detector per series, fed one row at a time in order: nothing can look ahead. */
export function runDetector(corpus: readonly NabSeries[], factory: DetectorFactory): DetectorRun {
  const scores = new Map<string, Float64Array>();
  let ms = 0;
  let rows = 0;
  for (const series of corpus) {
    const out = new Float64Array(series.values.length);
    const started = performance.now();
    const detect = factory();
    for (let i = 0; i < out.length; i++) out[i] = detect(series.timestamps[i]!, series.values[i]!);
    ms += performance.now() - started;
    rows += out.length;
    scores.set(series.name, out);
  }
  return { scores, ms, rows };
}

/**
 * Writes `<dir>/<category>/<file>.csv` with `timestamp,value,anomaly_score` for every series.
 * Scores keep 12 significant digits, as in NAB's own results files, so that NAB's Python scorer
 * would score these files as `scoreCorpus` does.
 */
export function writeResults(dir: string, corpus: readonly NabSeries[], scores: ReadonlyMap<string, ArrayLike<number>>): void {
  for (const series of corpus) {
    const out = scores.get(series.name);
    if (out === undefined) continue;
    const lines = ['timestamp,value,anomaly_score'];
    series.values.forEach((value, i) => {
      lines.push(`${formatNabTimestamp(series.timestamps[i]!)},${value},${round12(out[i]!)}`);
    });
    const file = path.join(dir, series.name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `${lines.join('\n')}\n`);
  }
}
