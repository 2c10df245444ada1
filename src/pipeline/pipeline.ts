import { type Observable, type OperatorFunction, pipe, share, Subject, type Subscription } from 'rxjs';
import type { Alert } from '../alert/alert.ts';
import { raiseAlerts } from '../alert/raise-alerts.ts';
import { enrichEvents } from '../enrich/enrich.ts';
import { evaluateIndicators } from '../indicators/evaluate-indicators.ts';
import type { StateEngine } from '../indicators/state/state-engine.ts';
import type { DeadLetters } from '../ingest/dead-letters.ts';
import type { Journal } from '../ingest/journal.ts';
import { parseFrames } from '../ingest/parse-frames.ts';
import type { IngestFrame } from '../ingest/protocol.ts';
import { type JournaledEvent, recordEvents } from '../ingest/record-events.ts';
import { pushAlerts } from '../push/push-alerts.ts';
import type { AlertHub } from '../push/alert-hub.ts';
import type { RuleSet } from '../rules/rule-set.ts';
import { scoreEvents } from '../score/score-events.ts';
import type { AlertStore, StoredAlert } from '../store/alert-store.ts';
import { storeAlerts } from '../store/store-alerts.ts';
import { validateFrames } from '../validate/validate-frames.ts';
import type { Metrics } from './metrics.ts';
import type { FaultHandler } from './safe-map.ts';

/**
 * enrich → indicators → score → alert: everything that turns a journaled event into
 * alerts. Live ingest and replay both run exactly this, so they give the same alerts.
 */
export function assessEvents(ruleSet: () => RuleSet, engine: StateEngine, metrics: Metrics, onFault: FaultHandler): OperatorFunction<JournaledEvent, Alert> {
  return pipe(
    enrichEvents(() => ruleSet().reference, onFault),
    evaluateIndicators(ruleSet, engine, metrics, onFault),
    scoreEvents(onFault),
    raiseAlerts(metrics, onFault),
  );
}

export interface PipelineParts {
  journal: Journal;
  deadLetters: DeadLetters;
  /** Read once per event, so a new rule set takes effect between two events. */
  ruleSet: () => RuleSet;
  /** Window, sequence and absence state; survives rule reloads for unchanged rules. */
  engine: StateEngine;
  store: AlertStore;
  hub: AlertHub;
  metrics: Metrics;
  onFault: FaultHandler;
}

export interface Pipeline {
  /** Frames from producers go in here. */
  frames: Subject<IngestFrame>;
  /** Every alert after it is stored and pushed. */
  alerts: Observable<StoredAlert>;
  stop(): void;
}

/** The one composition of the processor: ingest → validate → record → assess → store → push. */
export function startPipeline(parts: PipelineParts): Pipeline {
  const { journal, deadLetters, ruleSet, engine, store, hub, metrics, onFault } = parts;
  const frames = new Subject<IngestFrame>();
  const alerts = frames.pipe(
    parseFrames(),
    validateFrames(),
    recordEvents(journal, deadLetters, metrics),
    assessEvents(ruleSet, engine, metrics, onFault),
    storeAlerts(store, onFault),
    pushAlerts(hub, onFault),
    share(),
  );
  const subscription: Subscription = alerts.subscribe();
  return {
    frames,
    alerts,
    stop() {
      frames.complete();
      subscription.unsubscribe();
    },
  };
}
