import type { Assessment } from '../indicators/evaluate-indicators.ts';
import type { RuleSet } from '../rules/rule-set.ts';

/**
 * Counts every firing of every rule, whether or not the event's score reached an alert:
 * what a rule author tuning a weight needs. Counts the assessments of the alert run itself
 * (`runRules`' `onAssessment`): an assessment of its own, with a second state engine, would
 * enrich and evaluate every event twice and hold every window twice.
 */
export class RuleHitCounter {
  readonly hits = new Map<string, number>();

  constructor(ruleSet: RuleSet) {
    for (const rule of ruleSet.rules) this.hits.set(rule.def.id, 0);
  }

  /** Counts the rules one assessment fired, and the deferred hits it settled. */
  count(assessment: Assessment): void {
    for (const rule of assessment.fired) this.hits.set(rule.def.id, (this.hits.get(rule.def.id) ?? 0) + 1);
    for (const hit of assessment.deferred) this.hits.set(hit.ruleId, (this.hits.get(hit.ruleId) ?? 0) + 1);
  }
}
