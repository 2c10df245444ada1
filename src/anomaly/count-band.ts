/**
 * The normal range of a count (events per bucket). A detector's band is Gaussian,
 * `baseline ± z·spread`, which on small counts reaches below zero (a normal range of
 * −3.6–5.4 crossings) and is symmetric where counts are skewed. For counts the band is
 * taken instead from a count distribution with the detector's mean and spread: Poisson
 * where the spread is no wider than the mean allows, negative binomial where it is wider
 * (overdispersed traffic), cut at the same two-sided tail as the detector's threshold.
 * Its edges are whole numbers and never below zero.
 */
import type { Reading } from './detector.ts';
import { zForConfidence } from './gaussian-tail.ts';

/** Past this many terms the quantiles come from the Gaussian approximation, which is close there. */
const MAX_TERMS = 20_000;
/** Below this the first term of the sum underflows; the Gaussian approximation takes over. */
const MIN_LOG_FIRST = -700;

export interface CountBand {
  low: number;
  high: number;
}

/**
 * The count band for a detector reading: `baseline` its expected count, `low`/`high`
 * its Gaussian band, `confidence` its threshold (two-sided, see gaussian-tail.ts). `z` is
 * the threshold's |z| (`zForConfidence(confidence)`), for callers that band many readings
 * against one threshold: working it out takes more than the band itself for small counts.
 */
export function countBand(baseline: number, low: number, high: number, confidence: number, z = zForConfidence(confidence)): CountBand {
  if (!Number.isFinite(baseline) || !Number.isFinite(low) || !Number.isFinite(high)) return { low: Math.max(0, Math.ceil(low)), high: Math.floor(high) };
  const mean = Math.max(baseline, 0);
  const spread = Number.isFinite(z) && z > 0 ? (high - low) / (2 * z) : 0;
  const variance = Math.max(mean, spread * spread);
  const tail = (1 - confidence) / 2;
  if (mean === 0) return { low: 0, high: 0 };
  const quantiles = countQuantiles(mean, variance, tail);
  if (quantiles) return quantiles;
  // Large counts: the Gaussian band is a good approximation; only its edges are made whole.
  const sd = Math.sqrt(variance);
  return { low: Math.max(0, Math.ceil(mean - z * sd)), high: Math.floor(mean + z * sd) };
}

/**
 * The `tail` and `1 − tail` quantiles of a Poisson (variance = mean) or negative binomial
 * (variance > mean) with this mean and variance, by summing the probabilities; undefined
 * when the sum would underflow or run too long.
 */
export function countQuantiles(mean: number, variance: number, tail: number): CountBand | undefined {
  // Poisson: p(k+1) = p(k)·mean/(k+1). Negative binomial with r = mean²/(variance − mean)
  // and success probability q = r/(r + mean): p(k+1) = p(k)·(k + r)/(k + 1)·(1 − q).
  const poisson = variance <= mean * (1 + 1e-9);
  const r = poisson ? 0 : (mean * mean) / (variance - mean);
  const q = poisson ? 0 : r / (r + mean);
  const logFirst = poisson ? -mean : r * Math.log(q);
  if (logFirst < MIN_LOG_FIRST) return undefined;
  let p = Math.exp(logFirst);
  let cumulative = p;
  let low: number | undefined = cumulative > tail ? 0 : undefined;
  for (let k = 0; k < MAX_TERMS; k++) {
    if (cumulative >= 1 - tail) return { low: low ?? k, high: k };
    p *= poisson ? mean / (k + 1) : ((k + r) / (k + 1)) * (1 - q);
    cumulative += p;
    if (low === undefined && cumulative > tail) low = k + 1;
  }
  return undefined;
}

/**
 * A count's reading with its count band (`countBand`) for the detector's Gaussian one:
 * anomalous only outside it as well. Written into `out`, which the caller reuses from one
 * bucket to the next, as a detector reuses its readings; `z` is `zForConfidence(confidence)`.
 */
export function bandedReading(reading: Reading, confidence: number, z: number, out: Reading): Reading {
  const band = countBand(reading.baseline, reading.low, reading.high, confidence, z);
  out.score = reading.score;
  out.value = reading.value;
  out.baseline = reading.baseline;
  out.low = band.low;
  out.high = band.high;
  out.anomalous = reading.anomalous && (reading.value < band.low || reading.value > band.high);
  out.warm = reading.warm;
  out.direction = reading.direction;
  return out;
}
