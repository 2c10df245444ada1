import { ruleEvidence } from '../alert/alert.ts';
import { assessJournaled } from './pipeline.ts';
import { StateEngine } from '../indicators/state-engine.ts';
import { type EventIssue, validateEvent } from '../model/event.ts';
import { createMetrics } from '../kernel/metrics.ts';
import type { Severity } from '../rules/rule-schema.ts';
import { scoreFired } from '../score/score-events.ts';
import type { Evidence } from '../state/condition.ts';
import type { RuleSet } from '../rules/rule-set.ts';
import { formatNameMatch } from '../rules/kinds/watchlist/compile-watchlist.ts';

export interface RuleVerdict {
  id: string;
  version: number;
  weight: number;
  fired: boolean;
  shadow: boolean;
  /** For stateful rules (window, sequence, absence, anomaly): the kind of state that decided. */
  stateful?: string;
  /** The values that decided: for a rule that did not fire, the comparison that failed. */
  evidence: Evidence[];
}

export type EventExplanation =
  | { index: number; valid: false; issues: EventIssue[] }
  | { index: number; valid: true; eventId: string; kind: string; score: number; severity: Severity | null; threshold: number; late: boolean; rules: RuleVerdict[] };

/**
 * Runs events through the rule set in order (so that windows and sequences fill as
 * they would live) and says, for every event and every rule of its kind, whether it
 * fired and on which values, or which sub-condition failed and with what.
 */
export function explainEvents(set: RuleSet, inputs: readonly unknown[]): EventExplanation[] {
  const engine = new StateEngine();
  const metrics = createMetrics();
  return inputs.map((input, index): EventExplanation => {
    const result = validateEvent(input);
    if (!result.success) return { index, valid: false, issues: result.issues };
    const assessment = assessJournaled(set, engine, { n: index + 1, event: result.event }, metrics);
    const { enriched } = assessment;
    const { score, severity } = scoreFired(assessment.fired, set.scoring);
    const rules = set.byKind[result.event.kind].map((rule): RuleVerdict => {
      const stateful = rule.kind?.stateful ? rule.kind.key : undefined;
      const evidence = ruleEvidence(rule, enriched, assessment.stateEvidence);
      const fired = assessment.fired.includes(rule);
      if (stateful && !fired && (rule.kind?.condition === 'none' || rule.condition.test(enriched))) {
        if (assessment.late) evidence.push({ field: stateful, op: 'not satisfied', actual: 'late event: kept out of windows and sequences' });
        else evidence.push(...engine.describe(rule, enriched));
      }
      return { id: rule.def.id, version: rule.def.version, weight: rule.def.weight, fired, shadow: rule.def.shadow, ...(stateful && { stateful }), evidence };
    });
    return { index, valid: true, eventId: result.event.eventId, kind: result.event.kind, score, severity, threshold: set.scoring.threshold, late: assessment.late, rules };
  });
}

/** `field op expected (was actual)` in one line, for terminals. */
export function formatEvidence(e: Evidence): string {
  const show = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v) ?? String(v));
  if (e.op === 'has') return `has(${e.field}) → ${show(e.actual)}`;
  const match = e.op === 'watchlist' ? formatNameMatch(e) : undefined;
  if (match !== undefined) return `watchlist ${match}`;
  return `${e.field} ${e.op}${e.expected === undefined ? '' : ` ${show(e.expected)}`}  (was ${show(e.actual)})`;
}
