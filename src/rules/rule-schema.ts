import { z } from 'zod';
import { DateSchema } from '../model/common.ts';

export const SeveritySchema = z.enum(['low', 'medium', 'high', 'critical']);
export type Severity = z.infer<typeof SeveritySchema>;
export const SEVERITIES = SeveritySchema.options;

const Scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export type Scalar = z.infer<typeof Scalar>;

/** A field reference: a dotted path, or several paths whose values are joined with `:` (a composite key). */
const FieldRef = z.union([z.string().min(1), z.array(z.string().min(1)).min(2)]);

/** The comparison operators of a predicate; exactly one per predicate. */
export const OPERATORS = [
  'equals', 'notEquals', 'lessThan', 'lessThanOrEqual', 'greaterThan', 'greaterThanOrEqual', 'between',
  'in', 'notIn', 'inList', 'notInList', 'anyInList', 'matches', 'exists',
] as const;
export type Operator = (typeof OPERATORS)[number];

export const PredicateSchema = z
  .strictObject({
    field: FieldRef,
    equals: Scalar.optional(),
    notEquals: Scalar.optional(),
    lessThan: z.number().optional(),
    lessThanOrEqual: z.number().optional(),
    greaterThan: z.number().optional(),
    greaterThanOrEqual: z.number().optional(),
    between: z.tuple([z.number(), z.number()]).optional(),
    in: z.array(Scalar).min(1).optional(),
    notIn: z.array(Scalar).min(1).optional(),
    inList: z.string().min(1).optional(),
    notInList: z.string().min(1).optional(),
    anyInList: z.string().min(1).optional(),
    /** A regular expression, matched case-insensitively against the whole string. */
    matches: z.string().min(1).optional(),
    exists: z.boolean().optional(),
  })
  .refine((p) => OPERATORS.filter((op) => p[op] !== undefined).length === 1, {
    message: `a predicate needs exactly one operator of: ${OPERATORS.join(', ')}`,
  });
export type Predicate = z.infer<typeof PredicateSchema>;

export type Condition =
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  | { anyItem: Condition }
  | Predicate;

export const ConditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.strictObject({ all: z.array(ConditionSchema).min(1) }),
    z.strictObject({ any: z.array(ConditionSchema).min(1) }),
    z.strictObject({ not: ConditionSchema }),
    z.strictObject({ anyItem: ConditionSchema }),
    PredicateSchema,
  ]),
);

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
  condition: z.string().min(1).optional(),
  /** The condition as structured predicates: the older form, still accepted. */
  when: ConditionSchema.optional(),
}).refine((r) => (r.condition === undefined) !== (r.when === undefined), {
  message: 'a rule needs exactly one of condition (CEL) or when (predicates)',
  path: ['condition'],
});
export type RuleDef = z.infer<typeof RuleSchema>;

/** A rule file holds one rule, or a few related ones under `rules:`. */
export const RuleFileSchema = z.union([RuleSchema, z.strictObject({ rules: z.array(RuleSchema).min(1) })]);
