import { Observable, type OperatorFunction } from 'rxjs';
import { toError } from '../errors.ts';
import type { Metrics } from '../kernel/metrics.ts';
import type { FaultHandler } from '../kernel/safe-map.ts';
import { scoreFired, type ScoredAssessment } from '../score/score-events.ts';
import { type Alert, buildAlert } from './alert.ts';
import { AlertGrouping } from './group-alerts.ts';

const NO_ALERTS: readonly Alert[] = [];

/**
 * Alert stage: one explained alert for every event whose score reaches the threshold,
 * then one for each absence the event's time made certain (about the earlier event).
 * `grouping` is the memory of alert groups (the processor's, so that it can be saved).
 */
export function raiseAlerts(metrics: Metrics, onFault: FaultHandler, grouping?: AlertGrouping): OperatorFunction<ScoredAssessment, Alert> {
  return (source) =>
    new Observable<Alert>((subscriber) => {
      // Without one given (backtests, explanations), each run groups on its own.
      const groups = grouping ?? new AlertGrouping();
      return source.subscribe({
        next(a) {
          metrics.processed += 1;
          const { ruleSet } = a;
          const { threshold } = ruleSet.scoring;
          // Most events raise nothing: no array for them.
          let alerts: Alert[] | undefined;
          try {
            if (a.severity !== null) {
              const alert = buildAlert(a.enriched, a.fired, a.score, a.severity, threshold, ruleSet.version, a.stateEvidence);
              if (a.suppressed !== undefined) alert.suppressed = [...a.suppressed];
              (alerts ??= []).push(alert);
            }
            for (const hit of a.deferred) {
              const rule = ruleSet.rules.find((r) => r.def.id === hit.ruleId);
              if (!rule || rule.def.shadow) continue;
              const { score, severity } = scoreFired([rule], ruleSet.scoring);
              if (severity === null) continue;
              const trigger = hit.alertId === undefined ? 'absence' : 'bucket';
              (alerts ??= []).push(buildAlert(hit.enriched, [rule], score, severity, threshold, ruleSet.version, new Map([[rule.def.id, hit.evidence]]), trigger, { alertId: hit.alertId, subject: hit.subject }));
            }
          } catch (thrown) {
            onFault('alert', toError(thrown), a);
          }
          groups.assign(alerts ?? NO_ALERTS, ruleSet.scoring.group?.within);
          if (alerts === undefined) return;
          metrics.alerts += alerts.length;
          for (const alert of alerts) subscriber.next(alert);
        },
        error: (e: unknown) => subscriber.error(e),
        complete: () => subscriber.complete(),
      });
    });
}
