import { z } from 'zod';
import { DetectorSpecSchema } from '../../../anomaly/detector-spec.ts';
import { DurationSchema } from '../../../streams/duration.ts';
import { Cel } from '../../cel/cel-text.ts';

/**
 * A statistical indicator: a streaming detector per key over a metric of the events
 * that match `condition`. Without `every` each event is one observation (the metric
 * and key may also be lists of the same length, one observation per element, e.g.
 * one per cargo item); with `every` the metric is aggregated per key and bucket of
 * event time, and the detector sees each bucket once the watermark has passed it,
 * empty buckets included (a post that falls silent is a drop).
 */
export const AnomalySchema = z
  .strictObject({
    /** CEL number (or list of numbers) per event; not needed for `aggregate: count`; a string for `distinct`. */
    metric: Cel.optional(),
    /** CEL string (or list of strings, matching the metric) the detectors are kept per. */
    key: Cel,
    /** Bucket length on event time, e.g. 15m. */
    every: DurationSchema.optional(),
    /**
     * How a bucket's metric values combine: `distinct` counts the distinct values of a
     * string metric (vehicles and people on foot, say, so that a coach is one arrival).
     * @default count (with every)
     */
    aggregate: z.enum(['count', 'sum', 'mean', 'distinct']).optional(),
    /** What one counted value is, in a plural word, for the alert's subject (`arrivals`): `count` reads `events`. */
    unit: z.string().regex(/^[a-z][a-z-]{0,30}$/, 'a plural word in lower case, such as arrivals').optional(),
    detector: DetectorSpecSchema,
    /** A key idle this long (event time) is forgotten and starts afresh. @default 30d */
    ttl: DurationSchema.default(30 * 86_400_000),
    /** Keys held at most; the least recently updated is dropped first. @default 100000 */
    maxKeys: z.int().min(1).max(10_000_000).default(100_000),
    /** Closed buckets shown in the evidence as the recent series. @default 24 */
    series: z.int().min(0).max(500).default(24),
  })
  .refine((a) => a.every !== undefined || (a.metric !== undefined && a.aggregate === undefined), {
    message: 'without every, an anomaly needs a metric and takes no aggregate',
    path: ['metric'],
  })
  .refine((a) => a.every === undefined || (a.aggregate ?? 'count') === 'count' || a.metric !== undefined, {
    message: 'aggregate sum, mean or distinct needs a metric',
    path: ['metric'],
  });
export type AnomalyDef = z.infer<typeof AnomalySchema>;
