import { Subject } from 'rxjs';
import type { Alert } from '../alert/alert.ts';
import type { Assessment, Partition } from '../indicators/evaluate-indicators.ts';
import { StateEngine } from '../indicators/state-engine.ts';
import type { JournaledEvent } from '../journal/record-events.ts';
import { createMetrics, type Metrics } from '../kernel/metrics.ts';
import { assessEvents } from '../pipeline/pipeline.ts';
import type { RuleSet } from '../rules/rule-set.ts';

export interface RuleRun {
  alerts: Alert[];
  metrics: Metrics;
  /** Events a stage could not process (each is reported, and skipped, as live). */
  faults: { stage: string; message: string; eventId?: string }[];
  events: number;
}

/**
 * Every rule's share of one instance: the assessment passes through `settle` as it is, to be
 * seen there (`onAssessment`), with every rule evaluated as without a partition.
 */
function seeing(onAssessment: (assessment: Assessment) => void): Partition {
  return {
    share: { stateless: true, owns: () => true },
    settle(assessment) {
      onAssessment(assessment);
      return assessment;
    },
  };
}

/**
 * Runs a rule set over events with exactly the processor's `assessEvents` and a fresh
 * state engine: windows, sequences and detectors run on event time only, so the same
 * events and rules give the same alerts, byte for byte, whenever and however fast.
 * @param onAssessment told of each event's assessment (the rules it fired, the deferred hits
 * it settled), before it is scored: what the backtest counts rule hits from.
 */
export function runRules(ruleSet: RuleSet, events: Iterable<JournaledEvent>, onAlert?: (alert: Alert) => void, onAssessment?: (assessment: Assessment) => void): RuleRun {
  const metrics = createMetrics();
  const faults: RuleRun['faults'] = [];
  const alerts: Alert[] = [];
  const input = new Subject<JournaledEvent>();
  const subscription = input
    .pipe(
      assessEvents(() => ruleSet, new StateEngine(), metrics, (stage, error, item) => {
        const eventId = (item as { event?: { eventId?: string } } | undefined)?.event?.eventId;
        faults.push(eventId === undefined ? { stage, message: error.message } : { stage, message: error.message, eventId });
      }, undefined, undefined, onAssessment && seeing(onAssessment)),
    )
    .subscribe((alert) => {
      alerts.push(alert);
      onAlert?.(alert);
    });
  let count = 0;
  for (const journaled of events) {
    // As it comes (a recorded event is a journaled one with its label): no copy per event.
    input.next(journaled);
    count += 1;
  }
  input.complete();
  subscription.unsubscribe();
  return { alerts, metrics, faults, events: count };
}
