import { z } from 'zod';
import { DateSchema } from '../model/common.ts';
import { Cel } from './cel/cel-text.ts';
import { conditionFits, KIND_FIELDS, RULE_KINDS } from './kinds/registry.ts';

export const SeveritySchema = z.enum(['low', 'medium', 'high', 'critical']);
export type Severity = z.infer<typeof SeveritySchema>;
export const SEVERITIES = SeveritySchema.options;

/** A risk indicator as rule authors write it. */
export const RuleSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9]+(?:[.-][a-z0-9]+)*$/, 'must be lower-case words joined by dots or dashes'),
  title: z.string().min(1).max(200),
  description: z.string().min(1),
  version: z.int().min(1),
  owner: z.string().min(1),
  /** Names of the streams (in `streams/`) whose events the rule applies to. */
  streams: z.array(z.string().min(1)).min(1),
  /** The least severity an alert gets when this rule fires. */
  severity: SeveritySchema,
  /** Added to the event's score when the rule fires. */
  weight: z.number().min(0).max(1000),
  tags: z.array(z.string().min(1)).default([]),
  legalBasis: z.string().optional(),
  /** Last day (event time) the rule applies; afterwards it no longer fires. */
  expires: DateSchema.optional(),
  /** Evaluated and counted, never contributes to a score or an alert. */
  shadow: z.boolean().default(false),
  /** The condition in CEL, over `event`, `derived` and the list functions (see docs/rules.md). */
  condition: Cel.optional(),
  /** At most one kind: window, sequence, absence, anomaly or watchlist (src/rules/kinds). */
  ...KIND_FIELDS,
  /** Events that must fire or stay quiet; `rules test` runs them. */
  examples: z.array(z.lazy(() => ExampleSchema)).default([]),
})
  .refine((r) => RULE_KINDS.filter((k) => r[k.key as keyof typeof KIND_FIELDS] !== undefined).length <= 1, {
    message: 'a rule is at most one of window, sequence, absence, anomaly or watchlist',
    path: ['window'],
  })
  .refine((r) => conditionFits(r, r.condition !== undefined), {
    message: 'a rule needs a condition (CEL); sequence and absence rules have first and then instead, and a watchlist rule may go without',
    path: ['condition'],
  });
export type RuleDef = z.infer<typeof RuleSchema>;

/**
 * An example for `rules test`: one event, or several in order (for stateful rules: the
 * verdict is on the last), each written as changes to the base event of its kind in
 * `rules/examples/` (objects merge, lists replace, null removes a field).
 */
export const ExampleSchema = z
  .strictObject({
    name: z.string().min(1),
    fires: z.boolean(),
    event: z.record(z.string(), z.unknown()).optional(),
    events: z.array(z.record(z.string(), z.unknown())).min(1).optional(),
  })
  .refine((e) => (e.event === undefined) !== (e.events === undefined), { message: 'an example has either event or events' });
export type ExampleDef = z.infer<typeof ExampleSchema>;

const RuleListFileSchema = z.strictObject({ rules: z.array(RuleSchema).min(1) });

/**
 * A rule file holds one rule, or a few related ones under `rules:`. The shape is chosen
 * by the `rules` key rather than by a union, so that a mistake is reported at its own
 * path instead of as a file that matches neither shape.
 */
export const RuleFileSchema = {
  safeParse(value: unknown) {
    const many = typeof value === 'object' && value !== null && Object.hasOwn(value, 'rules');
    return many ? RuleListFileSchema.safeParse(value) : RuleSchema.safeParse(value);
  },
};
