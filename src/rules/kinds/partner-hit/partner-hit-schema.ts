import { z } from 'zod';
import { TOKEN_KINDS } from '../../../exchange/agreement-schema.ts';

/**
 * Matching crossings against the tokens partner agencies published under an exchange
 * agreement (docs/exchange.md): the traveller's document and name with date of birth are
 * hashed under each partner's key and looked up here; the rule fires on a hit. The alert
 * names the partner and its opaque reference, never anything the partner holds.
 */
export const PartnerHitSchema = z.strictObject({
  /** Partner agency ids whose tokens count; every partner with an agreement when absent. */
  partners: z.array(z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'a partner agency id')).min(1).optional(),
  /** What may match. @default both */
  match: z.array(z.enum(TOKEN_KINDS)).min(1).default(['document', 'name-dob']),
});
export type PartnerHitDef = z.infer<typeof PartnerHitSchema>;
