import { enrichEvent } from '../enrich/enrich.ts';
import type { EnrichedEvent } from '../enrich/enriched.ts';
import type { BorderEvent } from '../model/event.ts';
import type { CompiledRule, RuleSet } from '../rules/rule-set.ts';
import type { Evidence } from '../state/condition.ts';
import type { DeferredHit } from '../state/stateful.ts';
import type { Assessment, Partition, RuleShare } from './evaluate-indicators.ts';

/** What one instance found for one event: the input of the join. */
export interface EventHits {
  /** The event's stream sequence. */
  seq: number;
  /** Rule ids that fired, in rule-set order. */
  fired: string[];
  /** Stateful rules' evidence, by rule id. */
  evidence: [string, Evidence[]][];
  /** Hits on earlier events this event's time made certain, each with that event. */
  deferred: { ruleId: string; n: number; event: BorderEvent; evidence: Evidence[]; alertId?: string; subject?: string }[];
}

/** FNV-1a: a stable, well-spread hash of a rule id, the same in every process. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The instance (of `count`) that evaluates a stateful rule dealt out whole. */
export function ownerOf(ruleId: string, count: number): number {
  return hash(ruleId) % count;
}

/**
 * The instance (of `count`) that evaluates a stateful rule on one event: for a rule dealt
 * out key by key (a window or sequence, `StatefulSpec.partitionKey`), the owner of the
 * event's key, the same for every rule, so that rules sharing a key table keep their keys
 * on one instance; for the others, the rule's owner (`ownerOfRule`). An event without a key
 * goes to the rule's owner (its state ignores it).
 */
export function ownerOfEvent(rule: CompiledRule, enriched: EnrichedEvent, count: number): number {
  const keyOf = rule.stateful?.partitionKey;
  if (keyOf !== undefined) {
    const key = keyOf(enriched);
    if (typeof key === 'string' && key !== '') return hash(key) % count;
  }
  return ownerOfRule(rule, count);
}

/**
 * The instance that evaluates a stateful rule dealt out whole: by its id, except that a
 * state that learns from alerts stays on instance 0, which raises them (on another
 * instance it would never hear of one).
 */
export function ownerOfRule(rule: CompiledRule, count: number): number {
  return rule.stateful?.learnsFromAlerts ? 0 : ownerOf(rule.def.id, count);
}

export function ruleShare(index: number, count: number): RuleShare {
  const owned = new Map<string, boolean>();
  return {
    stateless: index === 0,
    owns(rule, enriched) {
      if (rule.stateful?.partitionKey !== undefined) return ownerOfEvent(rule, enriched, count) === index;
      let mine = owned.get(rule.def.id);
      if (mine === undefined) owned.set(rule.def.id, (mine = ownerOfRule(rule, count) === index));
      return mine;
    },
  };
}

const NOTHING: CompiledRule[] = [];

/** An instance other than 0: its hits go to `report` (when it has any), and nothing is alerted on here. */
export function reportingPartition(share: RuleShare, report: (hits: EventHits) => void): Partition {
  return {
    share,
    settle(a) {
      if (a.fired.length === 0 && a.deferred.length === 0) return a;
      report(hitsOf(a));
      return { ...a, fired: NOTHING, stateEvidence: null, deferred: [] };
    },
  };
}

/** Instance 0: adds the hits the other instances found for the event (`remote`), in rule-set order, as one process would have found them. */
export function joiningPartition(share: RuleShare, remote: (seq: number) => readonly EventHits[]): Partition {
  let order: { set: RuleSet; index: Map<string, number> } | undefined;
  return {
    share,
    settle(a) {
      const others = remote(a.enriched.n);
      if (others.length === 0) return a;
      if (order?.set !== a.ruleSet) order = { set: a.ruleSet, index: new Map(a.ruleSet.rules.map((r, i) => [r.def.id, i])) };
      const { index } = order;
      const byId = new Map(a.ruleSet.rules.map((r) => [r.def.id, r]));
      const fired = [...a.fired];
      const evidence = new Map(a.stateEvidence ?? []);
      const deferred: DeferredHit[] = [...a.deferred];
      for (const hits of others) {
        for (const id of hits.fired) {
          const rule = byId.get(id);
          if (rule) fired.push(rule);
        }
        for (const [id, e] of hits.evidence) evidence.set(id, e);
        for (const d of hits.deferred) {
          deferred.push({ ruleId: d.ruleId, enriched: enrichEvent(d.n, d.event, a.ruleSet.reference), evidence: d.evidence, ...(d.alertId !== undefined && { alertId: d.alertId }), ...(d.subject !== undefined && { subject: d.subject }) });
        }
      }
      const rank = (id: string): number => index.get(id) ?? Number.MAX_SAFE_INTEGER;
      // Sorts are stable: a rule's deferred hits keep the order its one instance found them in.
      fired.sort((x, y) => rank(x.def.id) - rank(y.def.id));
      deferred.sort((x, y) => rank(x.ruleId) - rank(y.ruleId));
      return { ...a, fired, stateEvidence: evidence.size > 0 ? evidence : null, deferred };
    },
  };
}

function hitsOf(a: Assessment): EventHits {
  return {
    seq: a.enriched.n,
    fired: a.fired.map((r) => r.def.id),
    evidence: [...(a.stateEvidence ?? [])],
    deferred: a.deferred.map((d) => ({ ruleId: d.ruleId, n: d.enriched.n, event: d.enriched.event, evidence: d.evidence, ...(d.alertId !== undefined && { alertId: d.alertId }), ...(d.subject !== undefined && { subject: d.subject }) })),
  };
}
