import { z } from 'zod';

/**
 * The project's watchlist format: one JSON file per list (`rules/watchlists/*.json`),
 * whatever the source (the UN Consolidated List XML, a national CSV or YAML list).
 */

/**
 * A date of birth as lists give it: `1975-03-02` (exact), `1975-03` or `1975` (that month or
 * year; also what "approximately 1975" becomes), or `1960..1965` (between two years).
 */
export const ListDateSchema = z.string().regex(/^\d{4}(-\d{2}(-\d{2})?)?$|^\d{4}\.\.\d{4}$/, 'must be YYYY, YYYY-MM, YYYY-MM-DD or YYYY..YYYY');

export const NameQualitySchema = z.enum(['primary', 'good', 'low']);
export type NameQuality = z.infer<typeof NameQualitySchema>;

export const ListNameSchema = z.strictObject({
  /** The whole name as listed, parts in the list's order (family and given parts are not always told apart). */
  full: z.string().min(1),
  /** The family part, when the list tells it. */
  family: z.string().optional(),
  /** `primary` is the listed name; aliases are `good` or `low` quality (UN grading: a low-quality alias is too vague to identify someone alone). */
  quality: NameQualitySchema,
  /** Set for a name in its original script (Arabic, Cyrillic, ...). */
  script: z.string().optional(),
});
export type ListName = z.infer<typeof ListNameSchema>;

export const ListDocumentSchema = z.strictObject({
  type: z.string(),
  /** As listed (spaces and dashes kept); compared after `normaliseDocumentNumber`. */
  number: z.string().min(1),
  /** ISO 3166-1 alpha-3 of the issuing state, when known. */
  issuingState: z.string().regex(/^[A-Z]{3}$/).optional(),
  note: z.string().optional(),
});
export type ListDocument = z.infer<typeof ListDocumentSchema>;

export const WatchlistEntrySchema = z.strictObject({
  /** Unique within its list, e.g. `UN-110447`. */
  id: z.string().min(1),
  kind: z.enum(['individual', 'entity']),
  /** The list's own reference (UN: `TAi.005`). */
  reference: z.string().optional(),
  names: z.array(ListNameSchema).min(1),
  datesOfBirth: z.array(ListDateSchema).default([]),
  sex: z.enum(['F', 'M']).optional(),
  /** ISO 3166-1 alpha-3 codes. */
  nationalities: z.array(z.string().regex(/^[A-Z]{3}$/)).default([]),
  documents: z.array(ListDocumentSchema).default([]),
  listedOn: z.string().optional(),
});
export type WatchlistEntry = z.infer<typeof WatchlistEntrySchema>;

export const WatchlistFileSchema = z.strictObject({
  format: z.literal('border-risk-watchlist'),
  version: z.literal(1),
  /** Short id used in matches and per-list options, e.g. `un-sc`. */
  list: z.string().regex(/^[a-z0-9-]+$/),
  title: z.string(),
  source: z.string(),
  /** When the source was generated or last updated (ISO 8601). */
  generated: z.string().optional(),
  entries: z.array(WatchlistEntrySchema),
});
export type WatchlistFile = z.infer<typeof WatchlistFileSchema>;

/** A list ready to index: its id and entries. */
export interface Watchlist {
  list: string;
  entries: readonly WatchlistEntry[];
}
