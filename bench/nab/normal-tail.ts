/**
 * The normal distribution's upper tail, accurate to about 1e−15 absolute, for NAB's windowedGaussian.
 *
 * JavaScript has no `erfc`, and the approximation in simple-statistics is good to ~1e−7 only: its
 * scores would differ from NAB's (Python's `math.erfc`) in the 8th digit, where NAB's results files
 * keep 12. Two textbook expansions cover the range without cancellation.
 */

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

/** erf(x) for 0 ≤ x < 2 from its series of positive terms, e^(−x²)·Σ (2x²)ⁿ·x / (2n+1)!!. */
function erfSeries(x: number): number {
  let term = x;
  let sum = x;
  for (let n = 1; term > sum * Number.EPSILON; n++) {
    term *= (2 * x * x) / (2 * n + 1);
    sum += term;
  }
  return TWO_OVER_SQRT_PI * Math.exp(-x * x) * sum;
}

/** erfc(x) for x ≥ 2 from its continued fraction, 1/(x + ½/(x + 1/(x + (3/2)/(x + …)))), by Lentz's method. */
function erfcContinuedFraction(x: number): number {
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 500; n++) {
    const a = n / 2;
    d = x + a * d;
    d = 1 / (Math.abs(d) < tiny ? tiny : d);
    c = x + a / (Math.abs(c) < tiny ? tiny : c);
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < Number.EPSILON) break;
  }
  return (TWO_OVER_SQRT_PI / 2) * (Math.exp(-x * x) / f);
}

/** The complementary error function for x ≥ 0 (negative x is never needed here). */
export function erfc(x: number): number {
  return x < 2 ? 1 - erfSeries(x) : erfcContinuedFraction(x);
}

/**
 * NAB's `normalProbability`: the chance of a sample at least as far from `mean` as `x`, on one side
 * only, i.e. Q(|z|) = ½·erfc(|z|/√2).
 */
export function normalUpperTail(x: number, mean: number, std: number): number {
  return 0.5 * erfc(Math.abs(x - mean) / std / Math.SQRT2);
}
