/**
 * The project's general-purpose detector for the Numenta Anomaly Benchmark: the
 * composite detector with its default (tuned) parameters, one set for every series.
 * See docs/anomaly.md for how it is composed and why.
 */
import { createDetector } from './detector.ts';
import { DetectorSpecSchema } from './detector-spec.ts';

/** The composite spec with every default: the configuration NAB is scored with. */
export const NAB_SPEC = DetectorSpecSchema.parse({ kind: 'composite' });

/**
 * A fresh detector for one series, as NAB runs them: rows in time order, no look-ahead.
 * Returns the score when the detector alerts and 0 otherwise, so that NAB's threshold
 * sweep chooses among the detector's own alerts (spaced by its refractory period) and
 * not among the raw scores in between.
 */
export const createNabDetector = (): ((timestampMs: number, value: number) => number) => {
  const detector = createDetector(NAB_SPEC);
  return (timestampMs, value) => {
    const r = detector.update(timestampMs, value);
    return r.anomalous ? r.score : 0;
  };
};
