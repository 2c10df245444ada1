/**
 * How a rule file declares an anomaly detector. Every field but `kind` has a default, so
 * `{ kind: robust }` is a complete spec; the defaults are the ones docs/anomaly.md lists.
 * Scores are confidences in 0..1 (see gaussian-tail.ts), so a threshold means the same
 * for every kind: 0.999 is a deviation of about 3.3 standard deviations.
 */
import { z } from 'zod';

const Probability = z.number().min(0).max(1);
const HalfLife = z.number().positive().max(1e9);

/** Fields every kind has. */
const common = {
  /** Updates before the detector may fire; it learns from them all the same. */
  warmup: z.int().min(0).max(1e9),
  /** Updates after an alert during which it does not alert again. @default 0 */
  refractory: z.int().min(0).max(1e9).default(0),
  /** Which deviations count: above the baseline, below it, or both. @default 'both' */
  direction: z.enum(['both', 'high', 'low']).default('both'),
};

/** Z-score against running means and variances at several time scales. */
export const ZscoreSpecSchema = z.strictObject({
  kind: z.literal('zscore'),
  /** @default 0.999 (|z| ≥ 3.29 at every scale) */
  threshold: Probability.default(0.999),
  ...common,
  warmup: common.warmup.default(30),
  /** Half-life, in updates, of the fastest EWMA. @default 100 */
  halfLife: HalfLife.default(100),
  /** EWMAs kept at these multiples of `halfLife`. @default [1, 10] */
  scales: z.array(z.number().min(1).max(1e6)).min(1).max(8).default([1, 10]),
  /** Also compare against the all-time mean and variance (Welford). @default true */
  longRun: z.boolean().default(true),
});

/** Z-score against the value's hour of the week (or day), falling back to a global EWMA. */
export const SeasonalSpecSchema = z.strictObject({
  kind: z.literal('seasonal'),
  /** @default 0.999 */
  threshold: Probability.default(0.999),
  ...common,
  warmup: common.warmup.default(30),
  /** Half-life, in updates, of the global baseline used until an hour's cell is warm. @default 100 */
  halfLife: HalfLife.default(100),
  /** Half-life of each hour-of-week cell, in updates of that cell. @default 8 */
  cellHalfLife: HalfLife.default(8),
  /** Values a cell needs before it replaces the global baseline. @default 3 */
  cellWarmup: z.int().min(1).max(1e6).default(3),
  /** Offset of the local time whose hours and weekdays repeat, e.g. 300 for UTC+5. @default 0 */
  utcOffsetMinutes: z.int().min(-840).max(840).default(0),
  /** One cell per hour of the week (168), or per hour of the day (24) when weekdays look alike. @default 'week' */
  period: z.enum(['week', 'day']).default('week'),
});

/** Robust z-score: distance from a streaming median in streaming MADs. */
export const RobustSpecSchema = z.strictObject({
  kind: z.literal('robust'),
  /** @default 0.999 */
  threshold: Probability.default(0.999),
  ...common,
  warmup: common.warmup.default(30),
  /** Half-life, in updates, of the median and MAD estimates. @default 100 */
  halfLife: HalfLife.default(100),
});

/** Two-sided CUSUM on residuals from an EWMA baseline: sustained level shifts. */
export const CusumSpecSchema = z.strictObject({
  kind: z.literal('cusum'),
  /** The score is the CUSUM over `h`; 1 is the classic decision S ≥ h. @default 1 */
  threshold: Probability.default(1),
  ...common,
  warmup: common.warmup.default(30),
  /** Half-life, in updates, of the baseline the residuals are taken from. @default 200 */
  halfLife: HalfLife.default(200),
  /** Slack in standard deviations: shifts smaller than this do not accumulate. @default 0.5 */
  k: z.number().min(0).max(100).default(0.5),
  /** Decision interval in standard deviations. @default 5 */
  h: z.number().positive().max(1000).default(5),
});

/** The value leaves the running min–max by more than a fraction of the range. */
export const RangeSpecSchema = z.strictObject({
  kind: z.literal('range'),
  /** The score is e/(e + fraction) for an excess e of the range; 0.5 is the plain rule. @default 0.5 */
  threshold: Probability.default(0.5),
  ...common,
  warmup: common.warmup.default(30),
  /** Share of the range a value must leave it by. @default 0.05 */
  fraction: z.number().positive().max(100).default(0.05),
  /** When set, the bounds relax towards the recent mean with this half-life; otherwise all-time. */
  halfLife: HalfLife.optional(),
});

/**
 * Range rule plus the anomaly likelihood of robust residuals (scorers/composite-scorer.ts).
 * Its defaults are the NAB detector's (one parameter set for every series), chosen by
 * leave-one-category-out cross-validation on the NAB development split where a grid
 * covers them: docs/anomaly.md says what each does and on what evidence it was chosen.
 */
export const CompositeSpecSchema = z.strictObject({
  kind: z.literal('composite'),
  /** @default 0.5 (a likelihood tail of 1e-5, as Numenta's detector, or any range-rule departure) */
  threshold: Probability.default(0.5),
  ...common,
  /** @default 150 */
  warmup: common.warmup.default(150),
  /** @default 20 */
  refractory: common.refractory.default(20),
  /** Half-life, in updates, of the streaming median. @default 50 */
  halfLife: HalfLife.default(50),
  /** Half-life of the mean absolute residual that standardises residuals. @default 1000 */
  spreadHalfLife: HalfLife.default(1000),
  /** Share of the running range a value must leave it by for the range rule. @default 0.05 */
  fraction: z.number().positive().max(100).default(0.05),
  /**
   * The likelihood averages residual surprises, −log10 of the two-sided tail, capped at this
   * many decades and divided by it. @default 10
   */
  surpriseCap: z.number().positive().max(300).default(10),
  /** Raw scores averaged by the likelihood stage. @default 10 */
  likelihoodWindow: z.int().min(1).max(1000).default(10),
  /** Half-life of the likelihood's long-run distribution of averaged scores. @default 1000 */
  likelihoodHalfLife: HalfLife.default(1000),
  /**
   * The seasonal baselines tried beside the median: by hour of the day, of the week, both
   * (`auto`: each is used only once it beats the median, the better one when both do), or none.
   * @default 'auto'
   */
  seasonality: z.enum(['none', 'day', 'week', 'auto']).default('auto'),
  /** Half-life of each hour cell, in updates of that cell. @default 72 */
  cellHalfLife: HalfLife.default(72),
  /**
   * The seasonal residual replaces the median's once its long-run mean absolute size is
   * below this share of the median residual's: the series has shown it repeats. @default 0.6
   */
  seasonalRatio: z.number().positive().max(1).default(0.6),
  /** Values an hour cell needs before it is used. @default 3 */
  cellWarmup: z.int().min(1).max(1e6).default(3),
  /** Offset of the local time whose hours repeat, e.g. 300 for UTC+5. @default 0 */
  utcOffsetMinutes: z.int().min(-840).max(840).default(0),
});

export const DetectorSpecSchema = z.discriminatedUnion('kind', [
  ZscoreSpecSchema,
  SeasonalSpecSchema,
  RobustSpecSchema,
  CusumSpecSchema,
  RangeSpecSchema,
  CompositeSpecSchema,
]);

/** A detector spec with every default applied (what `DetectorSpecSchema.parse` returns). */
export type DetectorSpec = z.infer<typeof DetectorSpecSchema>;
/** A detector spec as written, defaults not yet applied. */
export type DetectorSpecInput = z.input<typeof DetectorSpecSchema>;
export type DetectorKind = DetectorSpec['kind'];
export const DETECTOR_KINDS = DetectorSpecSchema.options.map((o) => o.shape.kind.value);
