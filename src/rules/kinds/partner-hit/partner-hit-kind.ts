import type { Crossing } from '../../../model/crossing.ts';
import { type PartnerHit, PartnerTokens } from '../../../exchange/partner-tokens.ts';
import type { CompiledCondition, Evidence, Scope } from '../../../state/condition.ts';
import type { RuleKind } from '../rule-kind.ts';
import type { PartnerHitDef } from './partner-hit-schema.ts';

/** Tokens of no partner: what a rule set loaded without a running exchange (`rules check`, backtests) matches against. */
const NO_PARTNERS = new PartnerTokens();

/** A hit as alert evidence: the partner, what matched and its reference, no personal data of the partner's. */
function hitEvidence(h: PartnerHit): Evidence {
  return {
    field: h.kind === 'document' ? 'document.issuingState, document.number' : 'traveller.familyName, traveller.givenNames, traveller.dateOfBirth',
    op: 'partner-hit',
    expected: { partner: h.partner, offered: h.source === 'flagged' ? 'a subject the partner flagged' : 'a subject of a recent partner alert' },
    actual: { partner: h.partner, partnerName: h.partnerName, matchedOn: h.kind, ref: h.ref, source: h.source, keyId: h.keyId },
  };
}

function compilePartnerHit(def: PartnerHitDef, before: CompiledCondition | undefined, index: PartnerTokens): CompiledCondition {
  const partners = def.partners === undefined ? undefined : new Set(def.partners);
  const kinds = new Set(def.match);
  let lastScope: Scope | undefined;
  let lastHits: PartnerHit[] = [];
  const hits = (scope: Scope): PartnerHit[] => {
    if (scope !== lastScope) {
      const { traveller: t, document: d } = scope.event as Crossing;
      lastHits = index.match({ issuingState: d.issuingState, number: d.number, familyName: t.familyName, givenNames: t.givenNames, dateOfBirth: t.dateOfBirth }).filter((h) => kinds.has(h.kind) && (partners === undefined || partners.has(h.partner)));
      lastScope = scope;
    }
    return lastHits;
  };
  return {
    test: (scope) => !index.empty && (before === undefined || before.test(scope)) && hits(scope).length > 0,
    explain(scope, out) {
      if (before !== undefined && !before.explain(scope, out)) return false;
      const found = index.empty ? [] : hits(scope);
      if (found.length === 0) {
        out.push({ field: 'document, traveller', op: 'partner-hit', expected: 'a token a partner published', actual: index.empty ? 'no partner has published tokens' : 'no partner token matches' });
        return false;
      }
      for (const h of found) out.push(hitEvidence(h));
      return true;
    },
  };
}

/** Hit/no-hit matching against partner agencies' tokens (docs/exchange.md). */
export const partnerHitKind: RuleKind<PartnerHitDef> = {
  key: 'partner-hit',
  condition: 'optional',
  stateful: false,
  compile(part, { kinds, partners, condition, conditionSource, report }) {
    if (kinds.some((k) => k !== 'crossing')) {
      report(['partner-hit'], 'partner-hit rules match travellers: their streams must be crossing streams');
      return undefined;
    }
    if (conditionSource !== '' && !condition) return undefined;
    return { condition: compilePartnerHit(part, condition, partners ?? NO_PARTNERS) };
  },
  lookBackMs: () => 0,
};
