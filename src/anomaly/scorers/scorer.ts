/**
 * The part of a detector that differs by kind. A scorer judges a value against what it
 * has learnt so far, fills in the reading's score, baseline, band and direction, and then
 * learns from the value. The detector around it (detector.ts) applies warm-up, threshold
 * and refractory period the same way for every kind.
 */
import type { Reading } from '../reading.ts';

export type Direction = 'both' | 'high' | 'low';

export interface Scorer {
  update(timeMs: number, value: number, out: Reading): void;
  /** Plain JSON: numbers, arrays and objects only (no Infinity, no typed arrays). */
  save(): unknown;
}

/** A standardised deviation as the detector's direction sees it: 0 when on the ignored side. */
export function directedZ(z: number, direction: Direction): number {
  if (direction === 'high') return z > 0 ? z : 0;
  if (direction === 'low') return z < 0 ? -z : 0;
  return z < 0 ? -z : z;
}

export function sideOf(value: number, baseline: number): 'high' | 'low' | null {
  return value > baseline ? 'high' : value < baseline ? 'low' : null;
}

/** Fills a reading for a value judged against nothing yet: at its own baseline, score 0. */
export function unjudged(value: number, out: Reading): void {
  out.score = 0;
  out.baseline = out.low = out.high = value;
  out.direction = null;
}
