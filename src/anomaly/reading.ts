/** What a detector made of one value. */
export interface Reading {
  /** How unusual the value is, 0..1 (a confidence; see gaussian-tail.ts). */
  score: number;
  value: number;
  /** What the detector expected. */
  baseline: number;
  /** The band the value was expected in: outside it the score reaches the threshold. */
  low: number;
  high: number;
  /** Score at or above the threshold, warm, and not within the refractory period. */
  anomalous: boolean;
  /** Past the warm-up: the detector was allowed to fire on this value. */
  warm: boolean;
  /** The side of the baseline the value fell on; null at the baseline. */
  direction: 'high' | 'low' | null;
}
