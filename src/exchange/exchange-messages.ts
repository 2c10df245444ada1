import { z } from 'zod';
import { TOKEN_KINDS } from './agreement-schema.ts';

/** Version of the exchange protocol (docs/protocol.md, *Exchange between processors*). */
export const EXCHANGE_PROTOCOL = 1;

const Id = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/);
const Ref = z.string().regex(/^[a-z]-[0-9a-f]{32}$/, 'an opaque reference');
const RequestId = z.string().regex(/^req-[0-9a-f]{16,32}$/);
const Text = (max: number) => z.string().trim().min(1).max(max);
const Time = z.iso.datetime({ offset: true });

/** Fields of a masked alert or of released details: whatever the sender's agreement lets go in clear, and nothing else. */
const ClearFields = z.record(z.string().regex(/^[a-zA-Z]{1,32}$/), z.union([z.string().max(500), z.number(), z.array(z.string().max(300)).max(50)]));

export const ExchangeMessageSchema = z.discriminatedUnion('type', [
  /** First on every link: who sends, under which agreement. */
  z.strictObject({ type: z.literal('hello'), protocol: z.literal(EXCHANGE_PROTOCOL), from: Id, agreement: Id }),
  /** Every token the sender offers now, replacing what it sent before. */
  z.strictObject({
    type: z.literal('tokens'),
    at: Time,
    tokens: z
      .array(z.strictObject({ token: z.string().regex(/^[0-9a-f]{64}$/), kind: z.enum(TOKEN_KINDS), ref: Ref, source: z.enum(['flagged', 'alert']), keyId: z.string().min(1).max(32), expires: Time }))
      .max(1_000_000),
  }),
  /** The sender's recent alerts it offers, masked by its agreement, replacing what it sent before. */
  z.strictObject({ type: z.literal('alerts'), at: Time, alerts: z.array(z.strictObject({ ref: Ref, fields: ClearFields })).max(10_000) }),
  /** A request for the details behind a reference, with its purpose. */
  z.strictObject({ type: z.literal('request'), id: RequestId, ref: Ref, purpose: Text(1000), requestedBy: Text(100), at: Time }),
  /** The answer to a request: approved with the details the agreement releases, or refused with the reason. */
  z.strictObject({ type: z.literal('decision'), id: RequestId, decision: z.enum(['approved', 'refused']), reason: Text(1000).optional(), decidedBy: Text(100), at: Time, details: ClearFields.optional() }),
  /** The sender no longer offers anything (its agreement was revoked): drop what it sent. */
  z.strictObject({ type: z.literal('withdraw'), reason: Text(500) }),
]);
export type ExchangeMessage = z.infer<typeof ExchangeMessageSchema>;
