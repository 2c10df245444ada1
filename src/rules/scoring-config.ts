import { z } from 'zod';
import { DurationSchema } from '../streams/duration.ts';
import { SEVERITIES, type Severity, SeveritySchema } from './rule-schema.ts';

export const ScoringConfigSchema = z
  .strictObject({
    threshold: z.number().min(0),
    bands: z.array(z.strictObject({ severity: SeveritySchema, minScore: z.number().min(0) })).min(1),
    /** Alerts about the same subject within this much event time form one group. */
    group: z.strictObject({ within: DurationSchema }).optional(),
  })
  .refine((c) => c.bands.every((b, i) => i === 0 || b.minScore > c.bands[i - 1]!.minScore), {
    message: 'bands must be listed in increasing minScore',
    path: ['bands'],
  })
  .refine((c) => c.bands.every((b, i) => i === 0 || SEVERITIES.indexOf(b.severity) > SEVERITIES.indexOf(c.bands[i - 1]!.severity)), {
    message: 'bands must be listed in increasing severity',
    path: ['bands'],
  });
export type ScoringConfig = z.infer<typeof ScoringConfigSchema>;

/** Position of a severity in low < medium < high < critical. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}
