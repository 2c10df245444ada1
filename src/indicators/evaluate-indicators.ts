import type { OperatorFunction } from 'rxjs';
import type { EnrichedEvent } from '../enrich/enriched.ts';
import { toError } from '../errors.ts';
import type { Metrics } from '../kernel/metrics.ts';
import { type FaultHandler, safeMap } from '../kernel/safe-map.ts';
import type { Evidence } from '../state/condition.ts';
import type { CompiledRule, RuleSet } from '../rules/rule-set.ts';
import type { StateEngine } from './state-engine.ts';
import type { DeferredHit } from '../state/stateful.ts';
import { predicateIndex } from './predicate-index.ts';

/** An event after its indicators ran: the input of scoring. */
export interface Assessment {
  enriched: EnrichedEvent;
  ruleSet: RuleSet;
  /** Rules that fired, shadow rules included, in rule-set order. */
  fired: CompiledRule[];
  /** Evidence stateful rules captured when they fired (what their window or sequence held). */
  stateEvidence: Map<string, Evidence[]> | null;
  /** Hits on earlier events that this event's time made certain (absences). */
  deferred: readonly DeferredHit[];
  /** Behind its post's own clock by more than the allowed lateness, or behind its stream's watermark: stateless rules ran, stateful ones did not see it. */
  late: boolean;
  /** Watchlist indicators that matched but were kept from firing by an analyst's confirmed non-match (casework). */
  suppressed?: readonly SuppressedIndicator[];
}

/** A watchlist indicator an analyst's confirmed non-match kept from firing, with the non-match that did it. */
export interface SuppressedIndicator {
  ruleId: string;
  title: string;
  /** Each listed entry it matched (`list:entryId`) and the non-match recorded for it. */
  entries: { entry: string; nonMatch: NonMatchRecord }[];
}

/** An analyst's finding that a listed entry is not this document's holder, or not this person. */
export interface NonMatchRecord {
  id: string;
  /** The listed entry, `list:entryId`. */
  entry: string;
  /** The subject key it was confirmed for (`document UZB:AA1234567`, or `person ...`). */
  subject: string;
  by: string;
  at: string;
  reason: string;
}

const NONE: CompiledRule[] = [];

/**
 * Which rules one processor instance evaluates when N share a stream (`serve --nats
 * --nats-instance K/N`, docs/scale-out.md). Every instance reads every event, so stream
 * clocks and watermarks are the same everywhere. Windows and sequences are dealt out key
 * by key (by a hash of the event's key), other stateful rules whole (by a hash of the
 * rule's id): either way one instance sees every event of each of a rule's keys, whatever
 * the rule is keyed by. The stateless rules run on instance 0, which joins the others'
 * hits and raises the alerts.
 */
export interface RuleShare {
  /** Evaluate the stateless rules here. */
  readonly stateless: boolean;
  /** Evaluate this stateful rule on this event (and keep its state for the event's key) here. */
  owns(rule: CompiledRule, enriched: EnrichedEvent): boolean;
}

/** How a partitioned instance passes its assessment on: joined with the others' (instance 0), or reported and emptied (the others). */
export interface Partition {
  share: RuleShare;
  settle(assessment: Assessment): Assessment;
}

/**
 * Told when a rule throws on an event (a CEL function on a value it did not expect, a
 * bug in a state): the rule counts as not fired, `metrics.ruleErrors` counts it, and this
 * says which rule it was.
 */
export type RuleErrorHandler = (rule: CompiledRule, error: Error, enriched: EnrichedEvent) => void;

/** Indicators stage: runs every compiled rule for the event's kind, stateful ones against the state engine. */
export function evaluateIndicators(
  ruleSet: () => RuleSet,
  engine: StateEngine,
  metrics: Metrics,
  onFault: FaultHandler,
  onRuleError?: RuleErrorHandler,
  partition?: Partition,
): OperatorFunction<EnrichedEvent, Assessment> {
  if (partition) return safeMap('indicators', (enriched) => partition.settle(assessEvent(ruleSet(), engine, enriched, metrics, onRuleError, partition.share)), onFault);
  return safeMap('indicators', (enriched) => assessEvent(ruleSet(), engine, enriched, metrics, onRuleError), onFault);
}

/**
 * The per-event hot loop: closures only, and no allocation unless a rule fires. Only
 * the rules the predicate index selects are evaluated (the others' conditions cannot
 * hold), in rule-set order. A rule that throws is counted and treated as not fired, so
 * it affects only itself. With a `share` (one of several processor instances), only the
 * rules it gives this instance run.
 */
export function assessEvent(ruleSet: RuleSet, engine: StateEngine, enriched: EnrichedEvent, metrics: Metrics, onRuleError?: RuleErrorHandler, share?: RuleShare): Assessment {
  const { late, watermarkMs } = engine.advance(ruleSet, enriched);
  if (late) metrics.late += 1;
  const rules = ruleSet.byKind[enriched.event.kind];
  const index = predicateIndex(rules);
  const count = index.select(enriched);
  const selected = index.selected;
  const eventTimeMs = enriched.derived.eventTimeMs;
  let fired = NONE;
  let stateEvidence: Map<string, Evidence[]> | null = null;
  for (let k = 0; k < count; k++) {
    const rule = rules[selected[k]!]!;
    if (eventTimeMs > rule.expiresAfterMs) continue;
    if (share !== undefined && !(rule.stateful ? share.owns(rule, enriched) : share.stateless)) continue;
    try {
      if (!rule.condition.test(enriched)) continue;
      if (rule.stateful) {
        if (late) continue;
        const evidence = engine.observe(rule, enriched, watermarkMs);
        if (!evidence) continue;
        (stateEvidence ??= new Map()).set(rule.def.id, evidence);
      }
    } catch (thrown) {
      metrics.ruleErrors += 1;
      onRuleError?.(rule, toError(thrown), enriched);
      continue;
    }
    if (fired === NONE) fired = [];
    fired.push(rule);
  }
  const deferred = engine.expire(enriched.event.kind, watermarkMs);
  return { enriched, ruleSet, fired, stateEvidence, deferred, late };
}

/** The stateless rules that fire on an event (stateful rules are skipped): for benchmarks and tests. */
export function firedRules(ruleSet: RuleSet, enriched: EnrichedEvent, metrics: Metrics): CompiledRule[] {
  const rules = ruleSet.byKind[enriched.event.kind];
  const index = predicateIndex(rules);
  const count = index.select(enriched);
  const selected = index.selected;
  const eventTimeMs = enriched.derived.eventTimeMs;
  let fired = NONE;
  for (let k = 0; k < count; k++) {
    const rule = rules[selected[k]!]!;
    if (rule.stateful || eventTimeMs > rule.expiresAfterMs) continue;
    let hit = false;
    try {
      hit = rule.condition.test(enriched);
    } catch {
      // Benchmarks and tests read the count; the live path (assessEvent) also says which rule.
      metrics.ruleErrors += 1;
    }
    if (hit) {
      if (fired === NONE) fired = [];
      fired.push(rule);
    }
  }
  return fired;
}
