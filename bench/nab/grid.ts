/**
 * The declared parameter grid that leave-one-category-out cross-validation chooses from for the
 * project's NAB detector. Small on purpose: every extra candidate is one more chance to fit a
 * category's quirks (docs/anomaly.md shows a 16-candidate grid losing 10 points that way). The
 * first value of each parameter is the shipped default, and candidates are listed defaults first,
 * so that a tie keeps the default.
 */
import { type DetectorSpec, DetectorSpecSchema } from '../../src/anomaly/detector-spec.ts';
import { NAB_SPEC } from '../../src/anomaly/nab-detector.ts';

/** Values tried for each parameter; everything else stays at its default. */
export const NAB_GRID = {
  /** Decades of surprise the likelihood's input saturates at. */
  surpriseCap: [10, 20],
  /** Residual surprises averaged by the likelihood. */
  likelihoodWindow: [10, 20],
} as const satisfies Partial<Record<keyof typeof NAB_SPEC, readonly number[]>>;

export interface GridPoint {
  /** `surpriseCap=10 likelihoodWindow=10`. */
  label: string;
  /** The grid's values at this point. */
  values: Record<string, number>;
  spec: DetectorSpec;
}

/** Every combination of the grid's values, the first varying slowest. */
export function gridPoints(grid: Readonly<Record<string, readonly number[]>> = NAB_GRID): GridPoint[] {
  let points: Array<Record<string, number>> = [{}];
  for (const [name, values] of Object.entries(grid)) points = points.flatMap((p) => values.map((v) => ({ ...p, [name]: v })));
  return points.map((values) => ({
    label: Object.entries(values)
      .map(([k, v]) => `${k}=${v}`)
      .join(' '),
    values,
    spec: DetectorSpecSchema.parse({ ...NAB_SPEC, ...values }),
  }));
}

/** The grid point whose values are the shipped defaults' (the first, unless a default moved). */
export function defaultPoint(points: readonly GridPoint[]): GridPoint | undefined {
  const spec = NAB_SPEC as unknown as Record<string, unknown>;
  return points.find((p) => Object.entries(p.values).every(([k, v]) => spec[k] === v));
}
