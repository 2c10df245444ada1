import { createHmac, hkdfSync } from 'node:crypto';
import { canonicalPart, foldName, PARTICLES } from '../watchlist/normalise-name.ts';
import { decodeForms, partForms } from '../watchlist/part-forms.ts';
import type { TokenKind } from './agreement-schema.ts';

/** Bytes of a derived key and of a token (HMAC-SHA256, never truncated). */
const KEY_BYTES = 32;
const SALT = Buffer.from('border-risk exchange v1', 'utf8');

/**
 * The key two agencies make tokens with, for one key id: HKDF-SHA256 (RFC 5869) over the
 * secret they share, bound to both agencies and the key id, so that a secret reused with
 * another partner, or under another id, gives an unrelated key.
 */
export function deriveKey(secret: Buffer, agencies: readonly [string, string], keyId: string): Buffer {
  const info = `border-risk/exchange/v1 ${[...agencies].sort().join(' ')} ${keyId}`;
  return Buffer.from(hkdfSync('sha256', secret, SALT, Buffer.from(info, 'utf8'), KEY_BYTES));
}

/** A token: HMAC-SHA256 of a canonical identifier under a derived key, as 64 hex digits. */
export function matchToken(key: Buffer, identifier: string): string {
  return createHmac('sha256', key).update(identifier, 'utf8').digest('hex');
}

/** The canonical identifier of a travel document: issuing state and number, spaces, dashes and case dropped. */
export function documentIdentifier(issuingState: string, number: string): string | undefined {
  const n = number.toUpperCase().replace(/[^A-Z0-9]/g, '');
  const s = issuingState.toUpperCase();
  return n.length === 0 || !/^[A-Z]{3}$/.test(s) ? undefined : `doc|${s}|${n}`;
}

/** Variants kept per name: enough for the readings of a Russian, Tajik or Arabic name, bounded for names of many parts. */
const MAX_VARIANTS = 16;

/**
 * The canonical identifiers of a person by name and date of birth, one per reading of the
 * name: each part folded from any script to Latin (ICAO Doc 9303 and the Central Asian
 * letters, as the watchlists do), reduced to its spelling-neutral skeleton and to the
 * skeletons of its other readings (German and French romanisations, zh/kh as two letters,
 * Tajik o for a ...), particles dropped, parts sorted (so that family and given names may
 * swap), with the full date of birth. `Умаров Доку` and `UMAROV DOKU` share one.
 * Without a full date of birth there is none: a name alone names too many people.
 */
export function nameIdentifiers(familyName: string, givenNames: string, dateOfBirth: string): string[] {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(dateOfBirth)) return [];
  const parts = foldName(`${familyName} ${givenNames}`).filter((p) => !PARTICLES.has(p) && !PARTICLES.has(canonicalPart(p)));
  if (parts.length === 0) return [];
  const german = parts.some((p) => /sch|(?<![cst])ch/.test(p));
  const perPart = parts.map((p) => [...new Set(decodeForms(partForms(p, german)).map((f) => f.text))]);
  const combos: string[][] = [[]];
  for (const forms of perPart) {
    const next: string[][] = [];
    for (const combo of combos) {
      for (const form of forms) {
        if (next.length >= MAX_VARIANTS) break;
        next.push([...combo, form]);
      }
    }
    combos.splice(0, combos.length, ...next);
  }
  return [...new Set(combos.map((c) => `name|${[...c].sort().join(' ')}|${dateOfBirth}`))];
}

/** What is known of a person to make tokens of. */
export interface Subject {
  documents: readonly { issuingState: string; number: string }[];
  names: readonly { familyName: string; givenNames: string }[];
  datesOfBirth: readonly string[];
}

/** The canonical identifiers of a subject, by kind, for the kinds an agreement tokenises. */
export function subjectIdentifiers(subject: Subject, kinds: readonly TokenKind[]): { kind: TokenKind; identifier: string }[] {
  const out: { kind: TokenKind; identifier: string }[] = [];
  if (kinds.includes('document')) {
    for (const d of subject.documents) {
      const id = documentIdentifier(d.issuingState, d.number);
      if (id !== undefined) out.push({ kind: 'document', identifier: id });
    }
  }
  if (kinds.includes('name-dob')) {
    for (const n of subject.names) for (const dob of subject.datesOfBirth) for (const id of nameIdentifiers(n.familyName, n.givenNames, dob)) out.push({ kind: 'name-dob', identifier: id });
  }
  const seen = new Set<string>();
  return out.filter((x) => !seen.has(x.identifier) && seen.add(x.identifier));
}
