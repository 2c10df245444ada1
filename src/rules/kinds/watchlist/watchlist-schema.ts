import { z } from 'zod';

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
