import { z } from 'zod';
import { DurationSchema } from '../../../streams/duration.ts';
import { Cel } from '../../cel/cel-text.ts';

/**
 * A sliding window on event time, per key: the rule fires on an event that matches
 * `condition` when, with it, the key's window reaches every threshold given.
 */
export const WindowSchema = z
  .strictObject({
    /** CEL giving the key the window is kept per, e.g. the document. */
    key: Cel,
    within: DurationSchema,
    /** Events in the window, this one included: at least and/or at most (`atMost: 1` means first seen). */
    count: z
      .strictObject({ atLeast: z.int().min(1).optional(), atMost: z.int().min(1).optional() })
      .refine((c) => c.atLeast !== undefined || c.atMost !== undefined, { message: 'count needs atLeast or atMost' })
      .optional(),
    distinct: z.strictObject({ of: Cel, atLeast: z.int().min(1) }).optional(),
    sum: z.strictObject({ of: Cel, atLeast: z.number() }).optional(),
    /**
     * Count passages, not events: the key's events with the same `at` value, each within
     * `gap` of the one before, are one passage (a bus load at a post is one passage of the
     * bus). `crews` counts the passages none of whose people (`of`) came in an earlier
     * passage of the window: the different drivers of a vehicle, never its passengers.
     */
    passages: z
      .strictObject({
        at: Cel,
        gap: DurationSchema,
        atLeast: z.int().min(1),
        crews: z.strictObject({ of: Cel, atLeast: z.int().min(1) }).optional(),
      })
      .optional(),
    /**
     * Alert on a new pattern, not on its repetition: once the window fired for a key, it
     * fires again within this long only when a `distinct` value comes that it has not fired
     * with (a commuter between the same two places alerts once, not every day).
     */
    remember: DurationSchema.optional(),
  })
  .refine((w) => w.count !== undefined || w.distinct !== undefined || w.sum !== undefined || w.passages !== undefined, {
    message: 'a window needs at least one of count, distinct, sum or passages',
  })
  .refine((w) => w.remember === undefined || w.distinct !== undefined, { message: 'remember needs distinct: it remembers the distinct values a window fired with', path: ['remember'] });
export type WindowDef = z.infer<typeof WindowSchema>;
