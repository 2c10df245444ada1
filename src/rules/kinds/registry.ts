import { anomalyKind } from './anomaly/anomaly-kind.ts';
import { AnomalySchema } from './anomaly/anomaly-schema.ts';
import { linkKind } from './link/link-kind.ts';
import { LinkSchema } from './link/link-schema.ts';
import { absenceKind, sequenceKind } from './pair/pair-kinds.ts';
import { PairSchema } from './pair/pair-schema.ts';
import type { RuleKind } from './rule-kind.ts';
import { windowKind } from './window/window-kind.ts';
import { WindowSchema } from './window/window-schema.ts';
import { watchlistKind } from './watchlist/watchlist-kind.ts';
import { WatchlistRuleSchema } from './watchlist/watchlist-schema.ts';
import { partnerHitKind } from './partner-hit/partner-hit-kind.ts';
import { PartnerHitSchema } from './partner-hit/partner-hit-schema.ts';

/**
 * The rule kinds, each registered once: its part of the rule file (here, as a field of
 * the rule schema) and its entry (how it compiles, what it keeps, how far back it looks).
 * A rule is at most one kind; a rule of none is a plain condition.
 */
export const KIND_FIELDS = {
  window: WindowSchema.optional(),
  sequence: PairSchema.optional(),
  absence: PairSchema.optional(),
  anomaly: AnomalySchema.optional(),
  watchlist: WatchlistRuleSchema.optional(),
  link: LinkSchema.optional(),
  'partner-hit': PartnerHitSchema.optional(),
};

type KindKey = keyof typeof KIND_FIELDS;

/** Every kind's entry, in the order a rule's kind is looked for. */
export const RULE_KINDS: readonly RuleKind<unknown>[] = [windowKind, sequenceKind, absenceKind, anomalyKind, watchlistKind, linkKind, partnerHitKind];

type KindParts = Partial<Record<KindKey, unknown>>;

/** The kind of a rule definition and its part of the rule, or undefined for a plain condition. */
export function kindOf(def: KindParts): { kind: RuleKind<unknown>; part: unknown } | undefined {
  for (const kind of RULE_KINDS) {
    const part = def[kind.key as KindKey];
    if (part !== undefined) return { kind, part };
  }
  return undefined;
}

/** Whether a rule's having a `condition` fits its kind (sequence and absence have none; a plain rule needs one). */
export function conditionFits(def: KindParts, hasCondition: boolean): boolean {
  const demand = kindOf(def)?.kind.condition ?? 'required';
  return demand === 'optional' || (demand === 'none') !== hasCondition;
}

/** How far back (event time) a rule's state reaches; 0 for rules that keep none. */
export function lookBackMs(def: KindParts): number {
  const found = kindOf(def);
  return found ? found.kind.lookBackMs(found.part) : 0;
}
