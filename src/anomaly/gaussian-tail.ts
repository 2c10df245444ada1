/**
 * Gaussian tail arithmetic shared by the detectors. Scores are confidences in 0..1, so
 * that one threshold reads the same for every detector kind: a score of 0.997 means a
 * deviation that a Gaussian baseline gives less than a 0.3% chance (|z| ≈ 3).
 */
import { errorFunction, inverseErrorFunction } from 'simple-statistics';

/**
 * Two-sided confidence of a standardised deviation: P(|Z| < |z|) = erf(|z|/√2).
 * Infinite z (a deviation from a baseline with no spread) gives 1.
 */
export function confidence(z: number): number {
  const a = z < 0 ? -z : z;
  if (a === Number.POSITIVE_INFINITY) return 1;
  // The approximation gives −3e-8 at 0; a confidence is never negative.
  const c = errorFunction(a * Math.SQRT1_2);
  return c > 0 ? c : 0;
}

/**
 * Upper tail P(Z ≥ z). simple-statistics computes erfc internally (Numerical Recipes'
 * erfcc, fractional error < 1.2e-7) and returns 1 − erfc; taking it back from 1 loses
 * only ~1e-16 absolute, which keeps tails down to 1e-10 (the floor the likelihood's
 * log scale uses) accurate to about 1e-6 relative.
 */
export function upperTail(z: number): number {
  if (z >= 0) return 0.5 * (1 - errorFunction(z * Math.SQRT1_2));
  return 1 - 0.5 * (1 - errorFunction(-z * Math.SQRT1_2));
}

/** The |z| whose two-sided confidence is `c` (0 ≤ c < 1): the inverse of {@link confidence}. */
export function zForConfidence(c: number): number {
  if (c <= 0) return 0;
  if (c >= 1) return Number.POSITIVE_INFINITY;
  // simple-statistics' inverse is a closed-form approximation (~1e-3 relative); two Newton
  // steps on erf make the band edges agree with the threshold they are drawn from.
  let z = Math.SQRT2 * inverseErrorFunction(c);
  for (let i = 0; i < 2; i++) z -= (confidence(z) - c) / (Math.sqrt(2 / Math.PI) * Math.exp(-0.5 * z * z));
  return z;
}

/**
 * A deviation divided by a spread, with the edge cases made explicit: no spread and no
 * deviation is 0, no spread and any deviation is ±Infinity (certainly unusual).
 */
export function standardise(deviation: number, spread: number): number {
  if (spread > 0) return deviation / spread;
  if (deviation === 0) return 0;
  return deviation > 0 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
}
