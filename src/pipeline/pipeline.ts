import { identity, ignoreElements, merge, type Observable, type OperatorFunction, pipe, share, Subject, type Subscription, tap } from 'rxjs';
import type { Alert } from '../alert/alert.ts';
import { AlertGrouping, type SavedGrouping } from '../alert/group-alerts.ts';
import { raiseAlerts } from '../alert/raise-alerts.ts';
import { type NonMatchLookup, suppressNonMatches } from '../alert/suppress-non-matches.ts';
import { enrichEvent, enrichEvents } from '../enrich/enrich.ts';
import type { EnrichedEvent } from '../enrich/enriched.ts';
import { type Assessment, assessEvent, evaluateIndicators, type Partition, type RuleErrorHandler } from '../indicators/evaluate-indicators.ts';
import { EventRefs } from '../state/saved-state.ts';
import { type SavedEngine, StateEngine } from '../indicators/state-engine.ts';
import type { DeadLetterSink } from '../journal/dead-letter-sink.ts';
import type { EventLog } from '../journal/event-log.ts';
import { AIRPORT_POSTS_LIST, type AirReadOptions, airportPostsFrom } from '../edifact/read-air-messages.ts';
import { parseFrames } from '../ingest/parse-frames.ts';
import type { IngestFrame } from '../ingest/protocol.ts';
import { type JournaledEvent, recordEvents } from '../journal/record-events.ts';
import type { BorderEvent } from '../model/event.ts';
import { pushAlerts } from '../push/push-alerts.ts';
import type { AlertSink } from '../push/alert-sink.ts';
import type { EventSource, FrameSink, StartedSource } from '../ingest/event-source.ts';
import type { RuleSet } from '../rules/rule-set.ts';
import { scoreEvents } from '../score/score-events.ts';
import type { AlertLog, StoredAlert } from '../store/alert-log.ts';
import { storeAlerts } from '../store/store-alerts.ts';
import { validateFrames } from '../validate/validate-frames.ts';
import type { Metrics } from '../kernel/metrics.ts';
import type { FaultHandler } from '../kernel/safe-map.ts';
import { toError, StateError } from '../errors.ts';

/**
 * enrich → indicators → score → alert: everything that turns a journaled event into
 * alerts. Live ingest and replay both run exactly this, so they give the same alerts.
 */
export function assessEvents(ruleSet: () => RuleSet, engine: StateEngine, metrics: Metrics, onFault: FaultHandler, grouping?: AlertGrouping, onRuleError?: RuleErrorHandler, partition?: Partition, nonMatches?: () => NonMatchLookup | undefined): OperatorFunction<JournaledEvent, Alert> {
  return pipe(
    enrichEvents(() => ruleSet().reference, onFault),
    evaluateIndicators(ruleSet, engine, metrics, onFault, onRuleError, partition),
    // Analysts' confirmed non-matches (casework); backtests and explanations run without them.
    nonMatches === undefined ? identity : suppressNonMatches(nonMatches, onFault),
    scoreEvents(onFault),
    raiseAlerts(metrics, onFault, grouping),
    // Before the next event: rules that link travellers to alerted ones (PNR link analysis) learn of it.
    tap((alert) => engine.noteAlert({ alertId: alert.alertId, severity: alert.severity, ruleIds: alert.indicators.map((i) => i.id), event: alert.event, eventTimeMs: Date.parse(alert.eventTime) })),
  );
}

/**
 * One journaled event through enrich and the indicators, exactly as the stages of
 * `assessEvents` run it, for the tools that look at one event at a time: `rules explain`,
 * rule examples (`rules test`) and the backtest's hit counts.
 */
export function assessJournaled(ruleSet: RuleSet, engine: StateEngine, journaled: JournaledEvent, metrics: Metrics): Assessment {
  return assessEvent(ruleSet, engine, enrichEvent(journaled.n, journaled.event, ruleSet.reference), metrics);
}

/**
 * Everything the pipeline remembers from the events it processed, as plain JSON: window,
 * sequence, absence and anomaly state, stream clocks, and alert groups, as of journal
 * record `record`. A snapshot of it plus the journal after `record` rebuild the pipeline
 * as it was (src/recovery).
 */
export interface PipelineState {
  /** The last journal record the state includes. */
  record: number;
  /** That record's event id, to check that a journal is the one the state was saved from. */
  eventId: string | null;
  /** The events the state holds, by journal record number. */
  events: [number, BorderEvent][];
  engine: SavedEngine;
  grouping: SavedGrouping;
}

/**
 * A snapshot's content, for writing it out in order: a saved state, except that the key
 * tables' entries may be read as they are written, and the events they hold are asked for
 * only after every table was read, so that a capture (`Pipeline.captureState`) can read
 * its tables while events go on.
 */
export interface StateSource extends Omit<PipelineState, 'events' | 'engine'> {
  engine: Omit<SavedEngine, 'tables'> & { tables: { id: string; rules: string[]; table: { sweptAt: number | null; entries: Iterable<[string, unknown[]]> } }[] };
  events(): [number, BorderEvent][];
}

/** A capture under way: release it once it is written, or given up. */
export interface StateCapture extends StateSource {
  release(): void;
}

/** Starts a capture of `engine` (see `StateEngine.startSave`), with the rest of the pipeline's state as of `at`. */
export function captureEngine(engine: StateEngine, at: { record: number; eventId: string | null; grouping: SavedGrouping }): StateCapture {
  const refs = new EventRefs();
  const saving = engine.startSave(refs);
  return {
    ...at,
    engine: { ...saving.head, tables: saving.tables.map(({ id, rules, table }) => ({ id, rules, table: { sweptAt: table.sweptAt, entries: table.entries() } })) },
    events: () => [...refs.events],
    release: () => saving.release(),
  };
}

/** A state saved whole, as a source to write. */
export function stateSource(state: PipelineState): StateSource {
  return { ...state, events: () => state.events };
}

/** The state parts a pipeline continues from, made from a saved state for a (perhaps reloaded) rule set. */
export interface RestoredState {
  engine: StateEngine;
  grouping: AlertGrouping;
  processedUpTo: { record: number; eventId: string | null };
  /** Stateful rules that took their saved state. */
  kept: string[];
  /** Stateful rules that start empty: new, or changed since the state was saved. */
  reset: string[];
}

/**
 * Rebuilds the state parts from a saved state. Saved events are enriched again with the
 * rule set's reference lists, as a journal replay would enrich them. Throws on a saved
 * state that does not fit (the caller falls back to a full journal replay).
 */
export function restoreState(saved: PipelineState, set: RuleSet): RestoredState {
  const raw = new Map(saved.events);
  const enriched = new Map<number, EnrichedEvent>();
  const lookup = (n: number): EnrichedEvent => {
    let found = enriched.get(n);
    if (!found) {
      const event = raw.get(n);
      if (!event) throw new StateError(`the saved state refers to journal record ${n}, whose event it does not hold`);
      enriched.set(n, (found = enrichEvent(n, event, set.reference)));
    }
    return found;
  };
  const grouping = AlertGrouping.restore(saved.grouping);
  const { engine, kept, reset } = StateEngine.restore(set, saved.engine, lookup);
  return { engine, grouping, processedUpTo: { record: saved.record, eventId: saved.eventId }, kept, reset };
}

/**
 * What the pipeline is made of. It takes ports, not classes: `journal`, `deadLetters` and
 * `store` are the interfaces the stages write through (the file journal, the dead-letter
 * file and the alert database are one implementation of each; src/processor.ts wires them).
 */
export interface PipelineParts {
  /** Where accepted events are recorded before they are acknowledged. */
  journal: EventLog;
  /** Where refused events are kept. */
  deadLetters: DeadLetterSink;
  /** Read once per event, so a new rule set takes effect between two events. */
  ruleSet: () => RuleSet;
  /** Window, sequence and absence state; survives rule reloads for unchanged rules. */
  engine: StateEngine;
  /** Alert groups. @default a new, empty one */
  grouping?: AlertGrouping;
  /** The journal record the engine's and grouping's state goes up to (restored from a snapshot). @default 0 */
  processedUpTo?: { record: number; eventId: string | null };
  /** Where raised alerts are kept, each with its sequence number, before any sink is told. */
  store: AlertLog;
  /** Where stored alerts go, in order (the subscribers' hub, say). */
  sinks: readonly AlertSink[];
  metrics: Metrics;
  onFault: FaultHandler;
  /** Told when a rule throws on an event (it counts as not fired). */
  onRuleError?: RuleErrorHandler;
  /** Told of every event newly journaled by ingest (not of replayed ones), in journal order: for recordings. */
  onJournaled?: (journaled: JournaledEvent) => void;
  /** Told when the alert database fails to write on a disk failure (the reason) and when it writes again (null). */
  onStoreOutcome?: (failure: string | null) => void;
  /**
   * Assess the events ingest records. False when the event log is a broker's stream whose
   * consumers assess them (`serve --nats`): ingest then only records and answers, and
   * events reach the assessment through `replay`, in stream order. @default true
   */
  assessIngested?: boolean;
  /** One of several processor instances on a broker's stream: the rules it evaluates, and how its hits are joined. */
  partition?: Partition;
  /** Analysts' confirmed non-matches, applied before scoring (docs/casework.md). @default none */
  nonMatches?: NonMatchLookup;
}

export interface Pipeline {
  /** Frames from producers go in here; each is answered through its `respond`. */
  ingest: FrameSink;
  /** Starts a source handing its frames to `ingest`; `stop()` stops it with the pipeline. */
  attach(source: EventSource): StartedSource;
  /**
   * Runs journal records through the same stages, synchronously: records up to
   * `quietUpTo` only rebuild state (window, sequence, grouping), later ones raise,
   * store and push their alerts. Used at startup, before producers connect, and by a
   * broker's consumer for the events of its stream (`assessIngested: false`).
   */
  replay(records: Iterable<JournaledEvent>, quietUpTo: number): { replayed: number; alerts: number };
  /** The journal record number of the last event whose processing is complete. */
  processed(): number;
  /**
   * Starts a capture of the state as of `processed()`, which later events do not change:
   * call between two events (from a timer, or after `replay`), never from inside a stage,
   * and not while alerts are held (`heldAlerts()`), when the state is ahead of `processed()`.
   * Most of it is read while events go on being processed (see `StateEngine.startSave`);
   * release it once written or given up.
   */
  captureState(): StateCapture;
  /** Every alert after it is stored and pushed. */
  alerts: Observable<StoredAlert>;
  /** Alerts raised but held in memory because the alert database cannot be written. */
  heldAlerts(): number;
  /** Each stream's event-time clock: watermark, newest event, posts far behind (`GET /health`). */
  eventTime(): ReturnType<StateEngine['clockStatus']>;
  stop(): void;
}

/** The one composition of the processor: ingest → validate → record → assess → store → push. */
export function startPipeline(parts: PipelineParts): Pipeline {
  const { journal, deadLetters, ruleSet, engine, store, sinks, metrics, onFault, onRuleError, onJournaled, onStoreOutcome, nonMatches } = parts;
  const grouping = parts.grouping ?? new AlertGrouping();
  const frames = new Subject<IngestFrame>();
  const replayed = new Subject<JournaledEvent>();
  // Stages run synchronously per event, so when the next event (or a timer) comes, every
  // event up to `current` has been fully processed.
  let current = parts.processedUpTo?.record ?? 0;
  let currentId = parts.processedUpTo?.eventId ?? null;
  let quiet = false;
  const storing = storeAlerts(store, onFault, { quiet: () => quiet, ...(onStoreOutcome && { onOutcome: onStoreOutcome }) });
  // While alerts wait for the database, nothing new is accepted: what is held stays bounded.
  const ingested = frames.pipe(parseFrames(() => airOptions(ruleSet())), validateFrames(), recordEvents(journal, deadLetters, metrics, storing.stalled));
  const recorded = onJournaled ? ingested.pipe(tap(onJournaled)) : ingested;
  const alerts = merge(replayed, parts.assessIngested === false ? recorded.pipe(ignoreElements()) : recorded).pipe(
    tap((journaled) => {
      current = journaled.n;
      currentId = journaled.event.eventId;
    }),
    assessEvents(ruleSet, engine, metrics, onFault, grouping, onRuleError, parts.partition, nonMatches && (() => nonMatches)),
    storing.operator,
    pushAlerts(sinks, onFault),
    share(),
  );
  const subscription: Subscription = alerts.subscribe();
  const ingest: FrameSink = (frame) => frames.next(frame);
  const sources: StartedSource[] = [];
  return {
    ingest,
    attach(source) {
      const started = source.start(ingest);
      sources.push(started);
      return started;
    },
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
      storing.flush();
      return { replayed: count, alerts: store.lastSeq - alertsBefore };
    },
    // An event whose alert is not stored yet is not complete: a crash meanwhile replays it.
    processed: () => {
      const unstored = storing.oldestUnstored();
      return unstored === undefined ? current : Math.min(current, unstored.journalRecord - 1);
    },
    heldAlerts: () => storing.held.length,
    eventTime: () => engine.clockStatus(),
    captureState: () => captureEngine(engine, { record: current, eventId: currentId, grouping: grouping.save() }),
    stop() {
      // A source's stop may finish asynchronously; the frames it still hands over find the stream closed.
      for (const source of sources.splice(0)) {
        try {
          Promise.resolve(source.stop()).catch((error: unknown) => onFault('ingest', toError(error), undefined));
        } catch (error) {
          onFault('ingest', toError(error), undefined);
        }
      }
      frames.complete();
      // The alerts of the last turn are stored and passed on (to the hub, notifications, partners) while the stream is still open.
      storing.flush();
      subscription.unsubscribe();
    },
  };
}

const airOptionsOfSet = new WeakMap<RuleSet, AirReadOptions>();

/** How airline message frames are read under a rule set: its airport posts list places each flight at a post. */
function airOptions(set: RuleSet): AirReadOptions {
  let options = airOptionsOfSet.get(set);
  if (!options) airOptionsOfSet.set(set, (options = { airportPosts: airportPostsFrom(set.lists.get(AIRPORT_POSTS_LIST)?.keys ?? []) }));
  return options;
}
