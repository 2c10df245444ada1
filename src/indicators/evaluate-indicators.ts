import type { OperatorFunction } from 'rxjs';
import type { EnrichedEvent } from '../enrich/enriched.ts';
import type { Metrics } from '../pipeline/metrics.ts';
import { type FaultHandler, safeMap } from '../pipeline/safe-map.ts';
import type { CompiledRule, RuleSet } from '../rules/rule-set.ts';

/** An event after its indicators ran: the input of scoring. */
export interface Assessment {
  enriched: EnrichedEvent;
  ruleSet: RuleSet;
  /** Rules that fired, shadow rules included, in rule-set order. */
  fired: CompiledRule[];
}

const NONE: CompiledRule[] = [];

/** Indicators stage: runs every compiled rule for the event's kind. */
export function evaluateIndicators(
  ruleSet: () => RuleSet,
  metrics: Metrics,
  onFault: FaultHandler,
): OperatorFunction<EnrichedEvent, Assessment> {
  return safeMap(
    'indicators',
    (enriched) => {
      const set = ruleSet();
      return { enriched, ruleSet: set, fired: firedRules(set, enriched, metrics) };
    },
    onFault,
  );
}

/**
 * The per-event hot loop: closures only, and no allocation unless a rule fires. A
 * rule that throws is counted and treated as not fired, so it affects only itself.
 */
export function firedRules(ruleSet: RuleSet, enriched: EnrichedEvent, metrics: Metrics): CompiledRule[] {
  const rules = ruleSet.byKind[enriched.event.kind];
  const eventTimeMs = enriched.derived.eventTimeMs;
  let fired = NONE;
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i]!;
    if (eventTimeMs > rule.expiresAfterMs) continue;
    let hit = false;
    try {
      hit = rule.condition.test(enriched);
    } catch {
      metrics.ruleErrors += 1;
    }
    if (hit) {
      if (fired === NONE) fired = [];
      fired.push(rule);
    }
  }
  return fired;
}
