import { states } from 'mrz';
import { z } from 'zod';

/**
 * ISO 3166-1 alpha-3 codes plus the ICAO Doc 9303 codes that travel documents use
 * (XXA stateless, XXB refugee, UNO, ...). The list comes from the `mrz` package so
 * that the model and the MRZ checks agree on what a state code is.
 */
export const STATE_CODES: ReadonlySet<string> = new Set(Object.keys(states).filter((c) => c.length === 3));

export const CURRENCY_CODES: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));

export const EventIdSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces');

/** An RFC 3339 timestamp with an explicit offset: event time must never depend on the server's zone. */
export const EventTimeSchema = z.iso.datetime({ offset: true });

export const DateSchema = z.iso.date();

/** Border post identifier: ISO alpha-2 country of the post, a dash, and the post's code. */
export const PostIdSchema = z
  .string()
  .regex(/^[A-Z]{2}-[A-Z0-9-]{2,40}$/, 'must look like KZ-KHORGOS (country alpha-2, dash, post code)');

export const StateCodeSchema = z
  .string()
  .refine((c) => STATE_CODES.has(c), 'must be an ISO 3166-1 alpha-3 (or ICAO) state code, e.g. KAZ');

export const CurrencySchema = z
  .string()
  .refine((c) => CURRENCY_CODES.has(c), 'must be an ISO 4217 currency code, e.g. USD');

/**
 * -0 read as 0. JSON text can carry -0 (Python writes `-0.0`), but the journal's JSON
 * writes it as 0, so without this an event would be processed live with -0 and replayed
 * with 0. Only fields that accept zero need it.
 */
export const positiveZero = (n: number): number => (n === 0 ? 0 : n);

export const DirectionSchema = z.enum(['entry', 'exit']);

/**
 * Characters a name or an identifier may not hold: controls (C0, C1, DEL), format
 * characters (bidirectional embeddings, overrides and isolates, LRM/RLM/ALM, zero-width
 * space, BOM, soft hyphen), lone surrogates, private-use characters and the line and
 * paragraph separators. A U+202E left unterminated in a family name reverses the rest
 * of the line it is shown in (the document number, the date of birth), and a zero-width
 * character makes two names that look alike compare unequal. Zero-width joiner and
 * non-joiner (U+200C, U+200D) are kept: Persian and Indic spellings need them.
 */
export const CONTROL_CHARACTER = /[\p{Cc}\p{Cs}\p{Co}\p{Zl}\p{Zp}]|(?![\u200C\u200D])\p{Cf}/u;

/** What the first control character of `text` is and where, for a rejection's message; undefined if it has none. */
export function controlCharacterIn(text: string): string | undefined {
  const found = CONTROL_CHARACTER.exec(text);
  if (!found) return undefined;
  const code = found[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
  return `must not contain control or bidirectional formatting characters (U+${code} at position ${found.index})`;
}

/**
 * A name or identifier field: the string schema given, rejecting what
 * `CONTROL_CHARACTER` matches (rejected, not stripped, so that what is journaled is what
 * the producer sent, and the producer learns its data is odd).
 */
export function plainText(schema: z.ZodString): z.ZodString {
  return schema.superRefine((text, ctx) => {
    const problem = controlCharacterIn(text);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
  });
}

/**
 * A free-text field (a goods description): as `plainText`, but tab and line breaks are
 * allowed, since descriptions copied from manifests and customs messages span lines.
 */
export function freeText(schema: z.ZodString): z.ZodString {
  return schema.superRefine((text, ctx) => {
    const problem = controlCharacterIn(text.replace(/[\t\n\r]/g, ' '));
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
  });
}

export const IataAirportSchema = z.string().regex(/^[A-Z]{3}$/, 'must be a 3-letter IATA airport code');
