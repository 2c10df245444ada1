import type { EnrichedEvent } from '../enrich/enriched.ts';
import type { EventKind } from '../model/event.ts';
import type { Evidence } from '../state/condition.ts';
import type { CompiledRule, RuleSet } from '../rules/rule-set.ts';
import { type KeySlot, KeyTable, type KeyTableSave, type SavedKeyTable, type SlotPlacement } from '../state/key-table.ts';
import type { EventLookup, EventRefs } from '../state/saved-state.ts';
import { type AlertLearningState, type AlertNote, type DeferredHit, type KeyedState, NO_HITS } from '../state/stateful.ts';
import { DEFAULT_IDLE_SOURCE_AFTER_MS } from '../streams/streams.ts';
import { type SavedStreamClock, StreamClock } from './stream-clock.ts';

interface RuleState {
  signature: string;
  kind: readonly EventKind[];
  state: KeyedState;
  /** The key table the state keeps its values in, if any. */
  table: string | undefined;
  /**
   * Whether it may have hits for earlier events when the watermark moves: not a state keyed
   * one key per event (windows, sequences), which fires only on an event of that key.
   */
  defers: boolean;
}

interface TableState {
  table: KeyTable;
  kinds: readonly EventKind[];
}

/** A stateful rule's state as saved, with what identifies its definition. */
export interface SavedRuleState {
  id: string;
  /** The rule's `spec.signature`: the state is restored only into a rule with the same one. */
  signature: string;
  /** The key table its values are in (null: none). */
  table: string | null;
  state: unknown;
}

/** The whole engine as plain JSON: what {@link StateEngine.restore} continues from. */
export interface SavedEngine {
  /** Each stream's newest event time (null: none yet). */
  clocks: [EventKind, number | null][];
  /**
   * Each stream's clock per source (see {@link StreamClock}). Absent from snapshots written
   * when there was one clock per stream: those restore with the watermark their clock gave.
   */
  sourceClocks?: [EventKind, SavedStreamClock][];
  sinceSweep: number;
  rules: SavedRuleState[];
  /** Each key table, with the rules of its slots in slot order. */
  tables: { id: string; rules: string[]; table: SavedKeyTable }[];
}

/** A save of the engine under way: {@link StateEngine.startSave}. */
export interface EngineSave {
  /** Copied when the save started. */
  head: Omit<SavedEngine, 'tables'>;
  /** Each key table, read as the save goes on. */
  tables: { id: string; rules: string[]; table: KeyTableSave }[];
  /** Ends the save (once written, or given up): the tables stop copying entries before they change. */
  release(): void;
}

/** What {@link StateEngine.advance} says of an event. */
interface Advanced {
  late: boolean;
  watermarkMs: number;
}

const NOTHING: { states: readonly RuleState[]; deferring: readonly RuleState[]; tables: readonly TableState[] } = { states: [], deferring: [], tables: [] };

/** Check whether idle keys can be dropped every this many events. */
const SWEEP_EVERY = 256;

/**
 * Event-time state of the stateful rules: a clock per stream, kept per source (the post),
 * whose watermark closes windows, buckets and absences (see {@link StreamClock}), and each
 * rule's keyed state. Rules
 * keyed by the same expression over the same streams keep their values in one key
 * table. When the rule set changes, a rule whose stateful definition is unchanged keeps
 * its state; a new or changed one starts empty.
 */
export class StateEngine {
  private readonly clocks = new Map<EventKind, StreamClock>();
  private states = new Map<string, RuleState>();
  /** States that learn from alerts (PNR link analysis), by rule id. */
  private learning: (readonly [string, AlertLearningState])[] = [];
  private tables = new Map<string, TableState>();
  /** The states and tables of each stream, and the states among them that may defer hits, for `expire`, which runs on every event. */
  private byKind = new Map<EventKind, { states: RuleState[]; deferring: RuleState[]; tables: TableState[] }>();
  private ruleSet: RuleSet | undefined;
  private sinceSweep = 0;
  private readonly advanced: Advanced = { late: false, watermarkMs: Number.NEGATIVE_INFINITY };

  /**
   * Moves the event's stream clock (its post's, and so perhaps the stream's watermark); says
   * whether the event is late (behind its post's own clock, or behind the watermark). The
   * answer is one object the engine reuses (this runs for every event): read it at once.
   */
  advance(set: RuleSet, enriched: EnrichedEvent): Readonly<Advanced> {
    if (set !== this.ruleSet) this.adopt(set);
    const { kind, post } = enriched.event;
    let clock = this.clocks.get(kind);
    if (!clock) {
      clock = new StreamClock(latenessOf(set, kind), idleAfterOf(set, kind));
      this.clocks.set(kind, clock);
    }
    const { advanced } = this;
    const { event } = enriched;
    // A crossing read from an airline's message is stamped with its flight's schedule.
    advanced.late = event.kind === 'crossing' && event.source !== undefined ? clock.forecast(post, enriched.derived.eventTimeMs) : clock.advance(post, enriched.derived.eventTimeMs);
    advanced.watermarkMs = clock.watermarkMs;
    return advanced;
  }

  /** A stream's watermark and the sources its clock keeps, for reports and tests (undefined: no event yet). */
  clockOf(kind: EventKind): { watermarkMs: number; newestMs: number; sources: number } | undefined {
    const clock = this.clocks.get(kind);
    return clock && { watermarkMs: clock.watermarkMs, newestMs: clock.newestMs, sources: clock.sourceCount };
  }

  /** Each stream's clock as `GET /health` shows it (`StreamClock.status`). */
  clockStatus(): Record<string, ReturnType<StreamClock['status']>> {
    return Object.fromEntries([...this.clocks].map(([kind, clock]) => [kind, clock.status()]));
  }

  /**
   * Tells the states that learn from alerts of one raised, before the next event. An alert
   * raised by such rules alone teaches nothing: links are not followed link to link.
   */
  noteAlert(note: AlertNote): void {
    if (this.learning.length === 0 || note.ruleIds.every((id) => this.learning.some(([own]) => own === id))) return;
    for (const [, state] of this.learning) state.noteAlert(note);
  }

  observe(rule: CompiledRule, enriched: EnrichedEvent, watermarkMs: number): Evidence[] | null {
    return this.states.get(rule.def.id)?.state.observe(enriched, enriched.derived.eventTimeMs, watermarkMs) ?? null;
  }

  /** What a stateful rule holds for an event's key, for explanations. */
  describe(rule: CompiledRule, enriched: EnrichedEvent): Evidence[] {
    return this.states.get(rule.def.id)?.state.describe(enriched, enriched.derived.eventTimeMs) ?? [];
  }

  /** Absence hits the watermark of `kind` has made certain; also sweeps idle keys now and then. */
  expire(kind: EventKind, watermarkMs: number): readonly DeferredHit[] {
    const { states, deferring, tables } = this.byKind.get(kind) ?? NOTHING;
    let hits: DeferredHit[] | undefined;
    for (let i = 0; i < deferring.length; i++) {
      const found = deferring[i]!.state.expire(watermarkMs);
      if (found.length > 0) (hits ??= []).push(...found);
    }
    // Counted over every event, of every stream: when anomaly keys are forgotten decides what their detectors see.
    if (++this.sinceSweep >= SWEEP_EVERY) {
      this.sinceSweep = 0;
      // States in a key table have the table sweep their keys; they sweep only what they keep beside it.
      for (const entry of states) entry.state.sweep(watermarkMs);
      for (const { table, kinds } of tables) table.sweep(this.watermarkOf(kinds));
    }
    return hits ?? NO_HITS;
  }

  /** Keys held per stateful rule, for reports and the memory benchmark. */
  keyCounts(): Record<string, number> {
    return Object.fromEntries([...this.states].map(([id, s]) => [id, s.state.keys]));
  }

  /**
   * Everything the engine holds, as a copy in plain JSON (events it holds go into `refs`).
   * Runs between two events; nothing that comes after changes what it returns.
   */
  save(refs: EventRefs): SavedEngine {
    const saving = this.startSave(refs);
    try {
      return { ...saving.head, tables: saving.tables.map(({ id, rules, table }) => ({ id, rules, table: { sweptAt: table.sweptAt, entries: [...table.entries()] } })) };
    } finally {
      saving.release();
    }
  }

  /**
   * Starts a save of everything the engine holds now, copying at once only what is small
   * (stream clocks, each rule's own state) and leaving the key tables, which hold a value
   * per document, to be read a piece at a time while later events are processed (see
   * {@link KeyTable.startSave}): a snapshot then holds ingest up for the small part only.
   * Events the saved values hold go into `refs` as the tables are read.
   */
  startSave(refs: EventRefs): EngineSave {
    const rules: SavedRuleState[] = [];
    for (const [id, s] of this.states) rules.push({ id, signature: s.signature, table: s.table ?? null, state: s.state.save(refs) });
    const tables: EngineSave['tables'] = [];
    const release = (): void => {
      for (const { table } of tables) table.release();
    };
    try {
      for (const [tableId, { table }] of this.tables) {
        const members = [...this.states].filter(([, s]) => s.table === tableId && s.state.slot).sort(([, a], [, b]) => a.state.slot!.index - b.state.slot!.index);
        const save = members.map(([, s]) => (value: unknown) => (s.state.saveValue ? s.state.saveValue(value, refs) : value));
        tables.push({ id: tableId, rules: members.map(([id]) => id), table: table.startSave(save) });
      }
    } catch (thrown) {
      // No table is left copying for a save that did not start.
      release();
      throw thrown;
    }
    return {
      head: {
        clocks: [...this.clocks].map(([kind, clock]) => [kind, clock.save().newestMs]),
        sourceClocks: [...this.clocks].map(([kind, clock]) => [kind, clock.save()]),
        sinceSweep: this.sinceSweep,
        rules,
      },
      tables,
      release,
    };
  }

  /**
   * An engine for `set` that continues from a saved one: stream clocks as saved, and each
   * rule whose stateful definition (signature) and key table are unchanged with its saved
   * state, as a rule reload keeps it; a new or changed rule starts empty.
   */
  static restore(set: RuleSet, saved: SavedEngine, events: EventLookup): { engine: StateEngine; kept: string[]; reset: string[] } {
    const engine = new StateEngine();
    engine.adopt(set);
    if (saved.sourceClocks) {
      for (const [kind, clock] of saved.sourceClocks) engine.clocks.set(kind, StreamClock.restore(clock, latenessOf(set, kind), idleAfterOf(set, kind)));
    } else {
      for (const [kind, newestMs] of saved.clocks) engine.clocks.set(kind, StreamClock.fromStreamTime(newestMs, latenessOf(set, kind), idleAfterOf(set, kind)));
    }
    engine.sinceSweep = saved.sinceSweep;
    const restorers = new Map<string, (value: unknown) => unknown>();
    for (const r of saved.rules) {
      const current = engine.states.get(r.id);
      if (!current || current.signature !== r.signature || (current.table ?? null) !== r.table) continue;
      restorers.set(r.id, current.state.restore(r.state, events));
    }
    for (const t of saved.tables) {
      const current = engine.tables.get(t.id);
      if (!current) continue;
      const placements = t.rules.map((id): SlotPlacement | undefined => {
        const restore = restorers.get(id);
        const slot = engine.states.get(id)?.state.slot;
        return restore && slot ? { index: slot.index, restore } : undefined;
      });
      current.table.load(t.table, placements);
    }
    const ids = [...engine.states.keys()];
    return { engine, kept: ids.filter((id) => restorers.has(id)), reset: ids.filter((id) => !restorers.has(id)) };
  }

  /** The earliest watermark of these streams: a table shared by several is swept by the one furthest behind. */
  private watermarkOf(kinds: readonly EventKind[]): number {
    let watermark = Number.POSITIVE_INFINITY;
    for (const kind of kinds) {
      const clock = this.clocks.get(kind);
      if (!clock) return Number.NEGATIVE_INFINITY;
      watermark = Math.min(watermark, clock.watermarkMs);
    }
    return watermark;
  }

  private adopt(set: RuleSet): void {
    // A reloaded stream definition may change its allowed lateness or idle threshold.
    for (const [kind, clock] of this.clocks) clock.configure(latenessOf(set, kind), idleAfterOf(set, kind));
    const next = new Map<string, RuleState>();
    const tables = new Map<string, TableState>();
    const slots = new Map<string, KeySlot<unknown>[]>();
    for (const rule of set.rules) {
      const spec = rule.stateful;
      if (!spec) continue;
      const kinds = [...rule.kinds].sort();
      const tableId = spec.keySource === undefined ? undefined : JSON.stringify([spec.keySource, kinds]);
      let table: TableState | undefined;
      if (tableId !== undefined) {
        table = tables.get(tableId) ?? this.tables.get(tableId) ?? { table: new KeyTable(), kinds };
        tables.set(tableId, table);
      }
      const previous = this.states.get(rule.def.id);
      const state: RuleState =
        previous && previous.signature === spec.signature && previous.table === tableId
          ? previous
          : {
              signature: spec.signature,
              kind: kinds,
              state: spec.createState(rule.def.id, Math.max(0, ...kinds.map((k) => latenessOf(set, k))), table?.table),
              table: tableId,
              defers: spec.partitionKey === undefined,
            };
      next.set(rule.def.id, state);
      if (tableId !== undefined && state.state.slot) {
        const list = slots.get(tableId) ?? [];
        list.push(state.state.slot);
        slots.set(tableId, list);
      }
    }
    for (const [id, { table }] of tables) table.relayout(slots.get(id) ?? []);
    this.states = next;
    this.learning = [...next].flatMap(([id, s]) => ('noteAlert' in s.state ? [[id, s.state as AlertLearningState] as const] : []));
    this.tables = tables;
    this.byKind = new Map();
    for (const kind of new Set([...next.values()].flatMap((s) => s.kind))) {
      const states = [...next.values()].filter((s) => s.kind.includes(kind));
      this.byKind.set(kind, { states, deferring: states.filter((s) => s.defers), tables: [...tables.values()].filter((t) => t.kinds.includes(kind)) });
    }
    this.ruleSet = set;
  }
}

function latenessOf(set: RuleSet, kind: EventKind): number {
  return set.streams.find((s) => s.kind === kind)?.allowedLateness ?? 0;
}

function idleAfterOf(set: RuleSet, kind: EventKind): number {
  return set.streams.find((s) => s.kind === kind)?.idleSourceAfter ?? DEFAULT_IDLE_SOURCE_AFTER_MS;
}
