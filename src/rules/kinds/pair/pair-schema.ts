import { z } from 'zod';
import { DurationSchema } from '../../../streams/duration.ts';
import { Cel } from '../../cel/cel-text.ts';

/**
 * Two events of the same key on event time. `sequence` fires on the `then` event when a
 * `first` event came within `within` before it; `absence` fires when `within` passes
 * after a `first` event with no `then` event (on the watermark, so never early).
 * `then` may read the earlier event as `first`.
 */
export const PairSchema = z.strictObject({
  key: Cel,
  first: Cel,
  then: Cel,
  within: DurationSchema,
});
export type PairDef = z.infer<typeof PairSchema>;
