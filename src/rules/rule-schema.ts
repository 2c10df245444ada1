import { z } from 'zod';
import { DetectorSpecSchema } from '../anomaly/detector-spec.ts';
import { DateSchema } from '../model/common.ts';
import { DurationSchema } from '../streams/duration.ts';

export const SeveritySchema = z.enum(['low', 'medium', 'high', 'critical']);
export type Severity = z.infer<typeof SeveritySchema>;
export const SEVERITIES = SeveritySchema.options;

/**
 * Longest CEL expression taken. The shipped conditions are under 300 characters; long
 * alternatives of values belong in a list (`inList`), and the CEL library's parser and
 * checker recurse, so that a very long chain would exhaust the stack.
 */
export const MAX_CEL_LENGTH = 10_000;
const tooLong = `at most ${MAX_CEL_LENGTH.toLocaleString('en')} characters; put long value lists in rules/lists/ and use inList()`;

/** A CEL expression as text; checked and compiled when the rule set loads. */
const Cel = z.string().min(1).max(MAX_CEL_LENGTH, tooLong);

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

/**
 * Screening against the watchlists in `rules/watchlists/`: `names` screens the traveller's
 * names (and the MRZ name field) with date of birth, sex and nationality as qualifiers;
 * `documents` looks the travel document up among the documents of listed people. The rule
 * fires when its condition (if any) holds and a listed entry matches.
 */
export const WatchlistRuleSchema = z.strictObject({
  /** What is compared. @default names */
  match: z.enum(['names', 'documents']).default('names'),
  /** Watchlist ids (`list` in each file); every loaded list when absent. */
  lists: z.array(z.string().regex(/^[a-z0-9-]+$/, 'a watchlist id: lower-case letters, digits and dashes')).min(1).optional(),
  /** Name score at or above which an entry matches (names only). @default 0.9 */
  threshold: z.number().gt(0).max(1).default(0.9),
  /** Matches scoring this much or more are another rule's (a weaker-match tier under a strong one). */
  below: z.number().gt(0).max(1).optional(),
})
  .refine((w) => w.below === undefined || w.below > w.threshold, { message: 'below must be above threshold', path: ['below'] });
export type WatchlistRuleDef = z.infer<typeof WatchlistRuleSchema>;

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
  window: WindowSchema.optional(),
  sequence: PairSchema.optional(),
  absence: PairSchema.optional(),
  anomaly: AnomalySchema.optional(),
  watchlist: WatchlistRuleSchema.optional(),
  /** Events that must fire or stay quiet; `rules test` runs them. */
  examples: z.array(z.lazy(() => ExampleSchema)).default([]),
})
  .refine((r) => [r.window, r.sequence, r.absence, r.anomaly, r.watchlist].filter((x) => x !== undefined).length <= 1, {
    message: 'a rule is at most one of window, sequence, absence, anomaly or watchlist',
    path: ['window'],
  })
  .refine((r) => (r.sequence || r.absence ? r.condition === undefined : r.condition !== undefined || r.watchlist !== undefined), {
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
