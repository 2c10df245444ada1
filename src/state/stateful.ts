import type { BorderEvent } from '../model/event.ts';
import type { EnrichedEvent } from '../enrich/enriched.ts';
import type { Evidence } from './condition.ts';
import type { KeySlot, KeyTable } from './key-table.ts';
import type { EventLookup, EventRefs } from './saved-state.ts';

/** Shared empty result: `expire` runs for every rule on every event and must not allocate. */
export const NO_HITS: readonly DeferredHit[] = Object.freeze([]);

/** A hit found for an earlier event, such as an exit whose return never came. */
export interface DeferredHit {
  ruleId: string;
  /** The event the alert is raised about (for a bucket: the key's newest event). */
  enriched: EnrichedEvent;
  evidence: Evidence[];
  /** Set by hits that are not about one event (an anomalous bucket): the alert's id and subject. */
  alertId?: string;
  subject?: string;
}

/**
 * The per-key memory of one stateful rule. It lives in the engine, not in the rule,
 * so that a reloaded rule set whose rule has the same definition keeps it.
 */
export interface KeyedState {
  /** Updates the state with an on-time event; returns evidence when the rule fires on it. */
  observe(enriched: EnrichedEvent, eventTimeMs: number, watermarkMs: number): Evidence[] | null;
  /** Hits that the watermark has made certain (absence); empty for other kinds. */
  expire(watermarkMs: number): readonly DeferredHit[];
  /** What the state holds for this event's key, without changing it: for `rules explain`. */
  describe(enriched: EnrichedEvent, eventTimeMs: number): Evidence[];
  /** Forgets keys that no future on-time event can involve (states in a key table: the table does). */
  sweep(watermarkMs: number): void;
  readonly keys: number;
  /** Its place in the key table it was made with, if any. */
  readonly slot?: KeySlot<unknown>;
  /**
   * Its own state as plain JSON (events it holds go into `refs` and are referred to by
   * record number); values it keeps in a key table are saved by {@link saveValue}. Runs
   * between two events and copies what it saves, so later events do not change it.
   */
  save(refs: EventRefs): unknown;
  /** One value of its key-table slot as plain JSON. */
  saveValue?(value: unknown, refs: EventRefs): unknown;
  /**
   * Continues from what `save` wrote, on a state made afresh for the same definition;
   * returns how to restore the values `saveValue` wrote, which come after.
   */
  restore(saved: unknown, events: EventLookup): (value: unknown) => unknown;
}

/** What a compiled stateful rule carries: how to make its state, and what identifies it. */
export interface StatefulSpec {
  /** Same signature across a reload → the running state is kept. */
  signature: string;
  /** How far back (event time) the state reaches; keys idle longer are dropped. */
  horizonMs: number;
  /**
   * The key expression, when the state keeps one value per key in a `KeyTable`: rules
   * with the same key expression over the same streams share the table.
   */
  keySource?: string;
  /**
   * The rule's key of an event, for states that keep each key apart, take one key (a
   * string) per event and fire only on an event of that key (windows, sequences):
   * processor instances sharing a stream deal such a rule out key by key
   * (`src/indicators/partition.ts`). Absent for the others, which are dealt out whole:
   * states that take several keys of one event (list-keyed anomalies, links), and states
   * whose hits come later when the watermark passes (absences, bucketed anomalies), whose
   * order across keys one instance alone keeps.
   *
   * A state with a partition key fires only on an event of its key, so its `expire` must
   * have nothing to give and no other effect: the state engine does not call it on every
   * event (`defers` in src/indicators/state-engine.ts). Sweeping still reaches it.
   */
  partitionKey?: (enriched: EnrichedEvent) => unknown;
  /**
   * The state learns from the alerts raised (`AlertLearningState.noteAlert`, PNR links to
   * alerted travellers): it must run where the alerts are raised, before the next event,
   * so instances sharing a stream keep it on instance 0 and a second assessment thread
   * never takes it.
   */
  learnsFromAlerts?: boolean;
  /**
   * @param latenessMs the largest allowed lateness of the rule's streams: keys are kept
   *   that much longer, since on-time events may run that far ahead of the watermark.
   * @param keys the table to take a slot in, for specs with a `keySource`.
   */
  createState(ruleId: string, latenessMs: number, keys: KeyTable | undefined): KeyedState;
}

/** An alert as the states that learn from alerts (PNR link analysis) are told of it. */
export interface AlertNote {
  alertId: string;
  severity: string;
  /** Ids of the rules that fired in it. */
  ruleIds: readonly string[];
  /** The event it is about, and that event's time. */
  event: BorderEvent;
  eventTimeMs: number;
}

/** A state that also learns from alerts raised: told of each, in order, before the next event. */
export interface AlertLearningState extends KeyedState {
  noteAlert(note: AlertNote): void;
}
