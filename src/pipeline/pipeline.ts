import { merge, type Observable, type OperatorFunction, pipe, share, Subject, type Subscription, tap } from 'rxjs';
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
  /** Told of every event newly journaled by ingest (not of replayed ones), in journal order: for recordings. */
  onJournaled?: (journaled: JournaledEvent) => void;
  /** Told when the alert database fails to write on a disk failure (the reason) and when it writes again (null). */
  onStoreOutcome?: (failure: string | null) => void;
}

export interface Pipeline {
  /** Frames from producers go in here. */
  frames: Subject<IngestFrame>;
  /**
   * Runs journal records through the same stages, synchronously: records up to
   * `quietUpTo` only rebuild state (window, sequence, grouping), later ones raise,
   * store and push their alerts. Used at startup, before producers connect.
   */
  replay(records: Iterable<JournaledEvent>, quietUpTo: number): { replayed: number; alerts: number };
  /** The journal record number of the last event whose processing is complete. */
  processed(): number;
  /** Every alert after it is stored and pushed. */
  alerts: Observable<StoredAlert>;
  /** Alerts raised but held in memory because the alert database cannot be written. */
  heldAlerts(): number;
  stop(): void;
}

/** The one composition of the processor: ingest → validate → record → assess → store → push. */
export function startPipeline(parts: PipelineParts): Pipeline {
  const { journal, deadLetters, ruleSet, engine, store, hub, metrics, onFault, onJournaled, onStoreOutcome } = parts;
  const frames = new Subject<IngestFrame>();
  const replayed = new Subject<JournaledEvent>();
  // Stages run synchronously per event, so when the next event (or a timer) comes, every
  // event up to `current` has been fully processed.
  let current = 0;
  let quiet = false;
  const storing = storeAlerts(store, onFault, { quiet: () => quiet, ...(onStoreOutcome && { onOutcome: onStoreOutcome }) });
  // While alerts wait for the database, nothing new is accepted: what is held stays bounded.
  const ingested = frames.pipe(parseFrames(), validateFrames(), recordEvents(journal, deadLetters, metrics, storing.stalled));
  const alerts = merge(replayed, onJournaled ? ingested.pipe(tap(onJournaled)) : ingested).pipe(
    tap((journaled) => {
      current = journaled.n;
    }),
    assessEvents(ruleSet, engine, metrics, onFault),
    storing.operator,
    pushAlerts(hub, onFault),
    share(),
  );
  const subscription: Subscription = alerts.subscribe();
  return {
    frames,
    alerts,
    replay(records, quietUpTo) {
      let count = 0;
      const alertsBefore = store.lastSeq;
      for (const record of records) {
        quiet = record.n <= quietUpTo;
        replayed.next(record);
        count += 1;
      }
      quiet = false;
      return { replayed: count, alerts: store.lastSeq - alertsBefore };
    },
    // An event whose alert is held is not complete: a crash meanwhile replays it.
    processed: () => (storing.held.length === 0 ? current : Math.min(current, storing.held[0]!.journalRecord - 1)),
    heldAlerts: () => storing.held.length,
    stop() {
      frames.complete();
      subscription.unsubscribe();
    },
  };
}
