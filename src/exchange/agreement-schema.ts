import { z } from 'zod';
import { DurationSchema } from '../streams/duration.ts';

/** Agency and agreement ids: lower-case letters, digits and dashes (`kg-border-service`). */
const IdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lower-case letters, digits and dashes, up to 63');

/**
 * Where a secret comes from: `env:NAME` (an environment variable) or `file:PATH` (a file,
 * relative to the agreement's own file). Never the secret itself: agreement files are read
 * by operators and kept in version control.
 */
const SecretRefSchema = z.string().regex(/^(env:[A-Za-z_][A-Za-z0-9_]*|file:.+)$/, 'must be env:VARIABLE or file:PATH (the secret itself does not belong in the agreement)');

/** The fields of a crossing alert an agreement can let go in clear. */
export const SHAREABLE_FIELDS = [
  'post', 'eventTime', 'direction', 'mode', 'rules', 'severity', 'score',
  'nationality', 'sex', 'yearOfBirth', 'dateOfBirth', 'familyName', 'givenNames',
  'documentType', 'documentNumber', 'issuingState',
] as const;
export type ShareableField = (typeof SHAREABLE_FIELDS)[number];

/** The identifiers a side can publish as match tokens (docs/exchange.md). */
export const TOKEN_KINDS = ['document', 'name-dob'] as const;
export type TokenKind = (typeof TOKEN_KINDS)[number];

const SeveritySchema = z.enum(['low', 'medium', 'high', 'critical']);

export const KeySchema = z.strictObject({
  /** Named in every token set, so that the partner knows which key a token was made with. */
  id: z.string().regex(/^[A-Za-z0-9._-]{1,32}$/, 'letters, digits, dot, dash and underscore, up to 32'),
  /** The secret both agencies hold for this key (at least 32 bytes once read). */
  secret: SecretRefSchema,
  /** Tokens made with this key are not made or matched after this time (ISO 8601). */
  notAfter: z.iso.datetime({ offset: true }).optional(),
});

/**
 * One exchange agreement with one partner agency (`exchange/*.yaml`): what is offered to
 * it, over which link, what may go in clear, what only as match tokens, and for how long.
 */
export const AgreementSchema = z
  .strictObject({
    /** The agreement's id, named in audit lines. */
    agreement: IdSchema,
    /** This agency's id as the partner knows it. */
    us: IdSchema,
    partner: z.strictObject({
      /** The partner agency's id: its link token on this side must carry this name (`tokens create --role partner --name ID`). */
      id: IdSchema,
      name: z.string().trim().min(1).max(200),
    }),
    /** Where this side sends to: the partner processor's `/exchange` endpoint and the token it gave us. */
    link: z.strictObject({
      url: z.string().regex(/^wss?:\/\/[^\s]+\/exchange$/, 'must be the partner\'s ws:// or wss:// URL ending in /exchange'),
      token: SecretRefSchema,
    }),
    /** The keys tokens are made with, newest last: the last one makes tokens, every one still valid matches. */
    keys: z.array(KeySchema).min(1),
    /** What this side offers the partner. */
    offer: z
      .strictObject({
        /** Flagged subjects: every entry of these watchlists (ids of `rules/watchlists/*.json`). */
        watchlists: z.array(IdSchema).default([]),
        /** Recent alerts: of these event kinds and at least this severity. */
        alerts: z
          .strictObject({
            kinds: z.array(z.enum(['crossing'])).min(1).default(['crossing']),
            minSeverity: SeveritySchema.default('high'),
            /** Only alerts on which one of these rules fired; every rule when absent. */
            rules: z.array(z.string().min(1)).min(1).optional(),
          })
          .optional(),
      })
      .default({ watchlists: [] }),
    share: z.strictObject({
      /** Fields of an offered alert that go in clear. */
      clear: z.array(z.enum(SHAREABLE_FIELDS)).default(['post', 'eventTime', 'direction', 'mode', 'rules', 'severity']),
      /** Identifiers published only as match tokens. */
      tokens: z.array(z.enum(TOKEN_KINDS)).min(1).default(['document', 'name-dob']),
      /** Fields released when this side's analyst approves a request for details. */
      onRequest: z.array(z.enum(SHAREABLE_FIELDS)).default([]),
    }),
    retention: z
      .strictObject({
        /** A published token expires this long after it was made; the partner drops it then. @default 30d */
        tokens: DurationSchema.default(30 * 86_400_000),
        /** How far back offered alerts reach. @default 7d */
        alerts: DurationSchema.default(7 * 86_400_000),
      })
      .default({ tokens: 30 * 86_400_000, alerts: 7 * 86_400_000 }),
    limits: z
      .strictObject({
        /** Requests for details this side accepts from the partner per day; more are refused unread. @default 50 */
        requestsPerDay: z.int().min(0).max(10_000).default(50),
      })
      .default({ requestsPerDay: 50 }),
    /** A revoked agreement stops every flow with the partner, as removing its file does. */
    revoked: z.boolean().default(false),
  })
  .superRefine((a, ctx) => {
    if (a.us === a.partner.id) ctx.addIssue({ code: 'custom', path: ['partner', 'id'], message: `the partner cannot be this agency itself (${a.us})` });
    const seen = new Set<string>();
    a.keys.forEach((k, i) => {
      if (seen.has(k.id)) ctx.addIssue({ code: 'custom', path: ['keys', i, 'id'], message: `key id ${k.id} appears twice` });
      seen.add(k.id);
    });
  });
export type AgreementDef = z.infer<typeof AgreementSchema>;
