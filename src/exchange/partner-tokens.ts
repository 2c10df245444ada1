import type { TokenKind } from './agreement-schema.ts';
import { documentIdentifier, matchToken, nameIdentifiers } from './match-tokens.ts';

/** Why the partner offered a token: a subject it flagged (a watchlist entry) or one of its recent alerts. */
export type TokenSource = 'flagged' | 'alert';

/** One token a partner published, as this side keeps it: no personal data, only the partner's opaque reference. */
export interface OfferedToken {
  token: string;
  kind: TokenKind;
  /** The partner's opaque reference of the subject, quoted back in a request for details. */
  ref: string;
  source: TokenSource;
  keyId: string;
  /** Wall-clock ms after which the token is not matched. */
  expiresAt: number;
}

/** A key this side and the partner both hold (derived per agreement), with when it stops being valid. */
export interface SharedKey {
  id: string;
  key: Buffer;
  /** Wall-clock ms after which it neither makes nor matches tokens; Infinity without `notAfter`. */
  notAfter: number;
}

/** Crossing identities whose result is kept (about 200 bytes each). */
const RESULT_CACHE_LIMIT = 200_000;

/** A crossing matched a partner's token. */
export interface PartnerHit {
  partner: string;
  partnerName: string;
  ref: string;
  kind: TokenKind;
  source: TokenSource;
  keyId: string;
}

interface PartnerEntry {
  name: string;
  keys: readonly SharedKey[];
  byToken: Map<string, OfferedToken>;
}

/** What a crossing is matched on: its document and its traveller's name and date of birth. */
export interface CrossingIdentity {
  issuingState: string;
  number: string;
  familyName: string;
  givenNames: string;
  dateOfBirth: string;
}

/**
 * The tokens every partner has published to this side, under the keys each agreement
 * shares, and the matching of this side's own crossings against them. Matching happens
 * here, locally: the crossing's identifiers are hashed under each partner's keys and
 * looked up; nothing about the crossing leaves this side. Empty (and costing one check per
 * crossing) until an agreement is loaded and its partner has published.
 */
export class PartnerTokens {
  private readonly partners = new Map<string, PartnerEntry>();
  private tokenCount = 0;
  /**
   * Results per crossing identity (document, names, date of birth), so that a traveller who
   * crosses again costs one lookup instead of folding the name and a score of HMACs: cleared
   * whenever a partner's tokens or keys change, and when full; a result with hits is kept
   * only until the first of its tokens or keys expires.
   */
  private readonly results = new Map<string, { hits: PartnerHit[]; until: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Whether any partner has a token here: the hot path's first and usually last question. */
  get empty(): boolean {
    return this.tokenCount === 0;
  }

  /** Tokens held per partner, for `/health` and the joint view. */
  counts(): Record<string, number> {
    return Object.fromEntries([...this.partners].map(([id, p]) => [id, p.byToken.size]));
  }

  /** Sets a partner's keys (from its agreement); its tokens under keys no longer listed are dropped. */
  setPartner(partner: string, name: string, keys: readonly SharedKey[]): void {
    const known = this.partners.get(partner);
    const entry: PartnerEntry = { name, keys, byToken: known?.byToken ?? new Map() };
    const ids = new Set(keys.map((k) => k.id));
    for (const [token, offered] of entry.byToken) if (!ids.has(offered.keyId)) entry.byToken.delete(token);
    this.partners.set(partner, entry);
    this.recount();
  }

  /** Replaces everything a partner published (a full set is sent on every connect and change). */
  replace(partner: string, tokens: readonly OfferedToken[]): void {
    const entry = this.partners.get(partner);
    if (!entry) return;
    const ids = new Set(entry.keys.map((k) => k.id));
    entry.byToken = new Map(tokens.filter((t) => ids.has(t.keyId)).map((t) => [t.token, t]));
    this.recount();
  }

  /** Forgets a partner and everything it published (its agreement was revoked or withdrawn). */
  drop(partner: string): void {
    this.partners.delete(partner);
    this.recount();
  }

  /** Forgets one partner's tokens but keeps its keys (the partner withdrew its offer). */
  clear(partner: string): void {
    const entry = this.partners.get(partner);
    if (entry) entry.byToken = new Map();
    this.recount();
  }

  private recount(): void {
    this.results.clear();
    let n = 0;
    for (const p of this.partners.values()) n += p.byToken.size;
    this.tokenCount = n;
  }

  /** Every partner token the crossing's document or name and date of birth hashes to, under a key still valid. */
  match(who: CrossingIdentity): PartnerHit[] {
    if (this.tokenCount === 0) return [];
    const now = this.now();
    const cacheKey = `${who.issuingState}\u0000${who.number}\u0000${who.familyName}\u0000${who.givenNames}\u0000${who.dateOfBirth}`;
    const known = this.results.get(cacheKey);
    if (known !== undefined && known.until >= now) return known.hits;
    const result = this.compute(who, now);
    if (this.results.size >= RESULT_CACHE_LIMIT) this.results.clear();
    this.results.set(cacheKey, result);
    return result.hits;
  }

  private compute(who: CrossingIdentity, now: number): { hits: PartnerHit[]; until: number } {
    let until = Number.POSITIVE_INFINITY;
    const doc = documentIdentifier(who.issuingState, who.number);
    const names = nameIdentifiers(who.familyName, who.givenNames, who.dateOfBirth);
    const identifiers = doc === undefined ? names : [doc, ...names];
    const hits: PartnerHit[] = [];
    for (const [partner, entry] of this.partners) {
      if (entry.byToken.size === 0) continue;
      const seenRefs = new Set<string>();
      for (const key of entry.keys) {
        if (key.notAfter < now) continue;
        for (const identifier of identifiers) {
          const offered = entry.byToken.get(matchToken(key.key, identifier));
          if (offered === undefined || offered.keyId !== key.id || offered.expiresAt < now || seenRefs.has(`${offered.ref}|${offered.kind}`)) continue;
          seenRefs.add(`${offered.ref}|${offered.kind}`);
          until = Math.min(until, offered.expiresAt, key.notAfter);
          hits.push({ partner, partnerName: entry.name, ref: offered.ref, kind: offered.kind, source: offered.source, keyId: key.id });
        }
      }
    }
    return { hits, until };
  }
}
