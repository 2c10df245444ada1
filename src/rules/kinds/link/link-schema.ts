import { z } from 'zod';
import { DurationSchema } from '../../../streams/duration.ts';

/** The booking elements two travellers can share (docs/rules.md, "link"). */
export const LINK_ELEMENTS = ['phone', 'email', 'address', 'card', 'booking'] as const;
export type LinkElement = (typeof LINK_ELEMENTS)[number];

/** Alert severities, lowest first (the rule schema's, repeated here: the rule schema imports the kinds). */
export const LINK_SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;

/**
 * PNR link analysis. `shared`: a traveller who shares a phone, e-mail, address, payment
 * card or booking with a listed person (a watchlist match) or with the traveller of a
 * recent alert at `alerted.minSeverity` or above. `split`: travellers of one booking who
 * cross in the same direction at different posts or on different flights.
 */
export const LinkSchema = z
  .strictObject({
    /** @default shared */
    match: z.enum(['shared', 'split']).default('shared'),
    /** Which elements count as shared. @default every one */
    share: z.array(z.enum(LINK_ELEMENTS)).min(1).default([...LINK_ELEMENTS]),
    /** Link to watchlist matches at or above this name score (the watchlist rules' index). */
    listed: z.strictObject({ threshold: z.number().gt(0).max(1).default(0.94) }).optional(),
    /** Link to the travellers of alerts of this severity or above, raised within `within`. */
    alerted: z.strictObject({ minSeverity: z.enum(LINK_SEVERITIES).default('high') }).optional(),
    /** How long (event time) a marked element, or a booking's crossings, are remembered. */
    within: DurationSchema,
    /** Elements (shared) or bookings (split) remembered at most; the oldest go first. @default 200000 */
    maxKeys: z.int().min(1).max(2_000_000).default(200_000),
  })
  .refine((l) => l.match === 'split' || l.listed !== undefined || l.alerted !== undefined, {
    message: 'a shared link needs listed, alerted or both: whom the traveller is linked to',
    path: ['match'],
  });
export type LinkDef = z.infer<typeof LinkSchema>;
