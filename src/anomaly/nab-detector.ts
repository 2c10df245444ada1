/**
 * The project's general-purpose detector for the Numenta Anomaly Benchmark: the
 * composite detector with its default parameters, one set for every series. The
 * defaults are the parameter set that leave-one-category-out cross-validation picks
 * on the whole development split; see docs/anomaly.md for how it is composed and why.
 */
import { createDetector } from './detector.ts';
import { type DetectorSpec, DetectorSpecSchema } from './detector-spec.ts';

type CompositeSpec = Extract<DetectorSpec, { kind: 'composite' }>;

/** The composite spec with every default: the configuration NAB is scored with. */
export const NAB_SPEC: CompositeSpec = DetectorSpecSchema.parse({ kind: 'composite' }) as CompositeSpec;

/**
 * A factory of fresh detectors for one spec, as NAB runs them: one per series, rows in
 * time order, no look-ahead. Each returns the score when the detector alerts and 0
 * otherwise, so that NAB's threshold sweep chooses among the detector's own alerts
 * (spaced by its refractory period) and not among the raw scores in between.
 */
export function nabDetectorFactory(spec: DetectorSpec): () => (timestampMs: number, value: number) => number {
  return () => {
    const detector = createDetector(spec);
    return (timestampMs, value) => {
      const r = detector.update(timestampMs, value);
      return r.anomalous ? r.score : 0;
    };
  };
}

/** A fresh NAB detector with the default spec ({@link NAB_SPEC}). */
export const createNabDetector = nabDetectorFactory(NAB_SPEC);
