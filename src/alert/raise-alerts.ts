import type { OperatorFunction } from 'rxjs';
import type { Metrics } from '../pipeline/metrics.ts';
import { type FaultHandler, safeMap } from '../pipeline/safe-map.ts';
import type { ScoredAssessment } from '../score/score-events.ts';
import { type Alert, buildAlert } from './alert.ts';

/** Alert stage: one explained alert for every event whose score reaches the threshold. */
export function raiseAlerts(metrics: Metrics, onFault: FaultHandler): OperatorFunction<ScoredAssessment, Alert> {
  return safeMap(
    'alert',
    (a) => {
      metrics.processed += 1;
      if (a.severity === null) return undefined;
      metrics.alerts += 1;
      return buildAlert(a.enriched, a.fired, a.score, a.severity, a.ruleSet.scoring.threshold, a.ruleSet.version);
    },
    onFault,
  );
}
