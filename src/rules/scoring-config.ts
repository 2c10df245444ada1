import { z } from 'zod';
import { DurationSchema } from '../streams/duration.ts';
import { SEVERITIES, type Severity, SeveritySchema } from './rule-schema.ts';

/** Which alerts a matcher takes (an inhibition rule's side, a four-eyes rule): all given must hold; an empty matcher takes every alert. */
const AlertMatcherSchema = z.strictObject({
  minSeverity: SeveritySchema.optional(),
  maxSeverity: SeveritySchema.optional(),
  /** Alerts in which any of these rules fired. */
  rules: z.array(z.string().min(1)).min(1).optional(),
  /** Alerts in which a fired rule carries any of these tags. */
  tags: z.array(z.string().min(1)).min(1).optional(),
});
export type AlertMatcher = z.infer<typeof AlertMatcherSchema>;

/** Whether a matcher takes an alert of this severity with these fired indicators. */
export function matcherTakes(m: AlertMatcher, severity: Severity, indicators: readonly { id: string; tags: readonly string[] }[]): boolean {
  const rank = severityRank(severity);
  return (
    (m.minSeverity === undefined || rank >= severityRank(m.minSeverity)) &&
    (m.maxSeverity === undefined || rank <= severityRank(m.maxSeverity)) &&
    (m.rules === undefined || indicators.some((i) => m.rules!.includes(i.id))) &&
    (m.tags === undefined || indicators.some((i) => i.tags.some((t) => m.tags!.includes(t))))
  );
}

/**
 * Alertmanager-style inhibition: an alert that `target` takes is stored but not pushed
 * live when an alert that `source` takes, about the same subject (document or consignee)
 * and of a higher severity, was stored before it within `within` of event time.
 */
const InhibitRuleSchema = z.strictObject({
  source: AlertMatcherSchema,
  target: AlertMatcherSchema,
  within: DurationSchema,
});
export type InhibitRule = z.infer<typeof InhibitRuleSchema>;

export const ScoringConfigSchema = z
  .strictObject({
    threshold: z.number().min(0),
    bands: z.array(z.strictObject({ severity: SeveritySchema, minScore: z.number().min(0) })).min(1),
    /** Alerts about the same subject within this much event time form one group. */
    group: z.strictObject({ within: DurationSchema }).optional(),
    /** Weaker alerts about a subject kept off the live feed while a stronger one about it stands (docs/casework.md). */
    inhibit: z.array(InhibitRuleSchema).optional(),
    /** Alerts whose dismissal a second analyst must confirm (four-eyes; docs/casework.md). */
    fourEyes: z.array(AlertMatcherSchema).optional(),
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
