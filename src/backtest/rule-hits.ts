import type { Assessment } from '../indicators/evaluate-indicators.ts';
import { assessJournaled } from '../pipeline/pipeline.ts';
import { StateEngine } from '../indicators/state-engine.ts';
import type { JournaledEvent } from '../journal/record-events.ts';
import { createMetrics } from '../kernel/metrics.ts';
import type { RuleSet } from '../rules/rule-set.ts';

/**
 * Counts every firing of every rule, whether or not the event's score reached an alert:
 * what a rule author tuning a weight needs. Runs the same enrichment and indicator code
 * as the pipeline with its own state engine, beside (never instead of) the alert run.
 */
export class RuleHitCounter {
  readonly hits = new Map<string, number>();
  private readonly engine = new StateEngine();
  private readonly metrics = createMetrics();

  constructor(private readonly ruleSet: RuleSet) {
    for (const rule of ruleSet.rules) this.hits.set(rule.def.id, 0);
  }

  observe({ n, event }: JournaledEvent): void {
    let assessment: Assessment;
    try {
      assessment = assessJournaled(this.ruleSet, this.engine, { n, event }, this.metrics);
    } catch {
      // The alert run reports faults; a hit count has nothing to add.
      return;
    }
    for (const rule of assessment.fired) this.hits.set(rule.def.id, (this.hits.get(rule.def.id) ?? 0) + 1);
    for (const hit of assessment.deferred) this.hits.set(hit.ruleId, (this.hits.get(hit.ruleId) ?? 0) + 1);
  }
}
