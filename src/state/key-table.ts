import { restoreTime, saveTime } from './saved-state.ts';
import { StateError } from '../errors.ts';
import { flat } from '../kernel/flat-string.ts';

/** A key table as saved: its keys in map order, each with one value per slot (null: none). */
export interface SavedKeyTable {
  sweptAt: number | null;
  entries: [string, unknown[]][];
}

/** Where a saved slot's values go on restore: the slot's index now, and how to restore a value. */
export interface SlotPlacement {
  index: number;
  restore: (value: unknown) => unknown;
}

/**
 * The keys of one key expression (the document, say) over one set of streams, shared by
 * every stateful rule keyed by it. Each key has one entry holding a slot per rule, so an
 * event looks its key up once however many rules read it: with four rules keyed by the
 * document over 100,000 documents, four lookups in four maps cost more than the rules'
 * own work, each missing the cache on the map, the stored key and the state behind it.
 */
export class KeyTable {
  private readonly entries = new Map<string, unknown[]>();
  private slots: KeySlot<unknown>[] = [];
  /**
   * The last event and key asked for, and the key's entry: the rules of one event ask for
   * the same key (the same string, from a shared memo) in turn. The event is compared first
   * so that a new event's key is never compared with the last one's character by character.
   */
  private lastEvent: object | undefined;
  private lastKey: string | undefined;
  private lastEntry: unknown[] | undefined;
  /** Slots per entry. */
  private width = 0;
  private sweptAt = Number.NEGATIVE_INFINITY;
  /** Sweep no more often than the shortest reach of the table's rules (event time). */
  private sweepEveryMs = Number.POSITIVE_INFINITY;
  /** The save under way, if any: entries are copied before they change. */
  private saving: KeyTableSave | undefined;

  get size(): number {
    return this.entries.size;
  }

  /** Adds a slot at the end of every entry, for a rule starting afresh; `relayout` places it. */
  slot<V>(reachMs: number, idle: (value: V, watermarkMs: number) => boolean): KeySlot<V> {
    return new KeySlot(this, reachMs, idle);
  }

  /**
   * Gives the table its rules' slots, in order: slots already in the table keep their
   * values (moved to their new place), new ones start empty, and dropped ones are
   * forgotten. Runs on a rule-set reload, once over the keys.
   */
  relayout(slots: readonly KeySlot<unknown>[]): void {
    const from = slots.map((s) => (this.slots.includes(s) ? s.index : -1));
    this.slots = [...slots];
    this.sweepEveryMs = Math.min(...slots.map((s) => s.reachMs));
    slots.forEach((s, i) => {
        s.index = i;
      });
    this.forget();
    if (from.length === this.width && from.every((f, i) => f === i)) return;
    // The entries change layout: a save under way copies every entry first, in the layout its save functions know.
    this.saving?.takeAll();
    this.width = from.length;
    for (const [key, entry] of this.entries) {
      const moved = from.map((f) => (f < 0 ? undefined : entry[f]));
      if (moved.every((v) => v === undefined)) this.entries.delete(key);
      else this.entries.set(key, moved);
    }
  }

  /** The key's entry, if it has one; `event` is what the key was computed from. */
  find(key: string, event: object): unknown[] | undefined {
    if (event === this.lastEvent && key === this.lastKey) return this.lastEntry;
    this.lastEvent = event;
    this.lastKey = key;
    const entry = this.entries.get(flat(key));
    // Whoever finds an entry may change it: a save under way copies it first.
    if (entry !== undefined && this.saving !== undefined) this.saving.before(key, entry);
    return (this.lastEntry = entry);
  }

  /** The key's entry, made if it has none. */
  ensure(key: string, event: object): unknown[] {
    const found = this.find(key, event);
    if (found) return found;
    // Stores rather than `fill`, a call into the runtime for every new key.
    const entry = new Array<unknown>(this.width);
    for (let i = 0; i < entry.length; i++) entry[i] = undefined;
    this.entries.set(key, entry);
    this.saving?.made(key);
    this.lastEntry = entry;
    return entry;
  }

  /** A value in the key's entry is about to change other than through `find` (an absence deadline settling it). */
  changing(key: string): void {
    if (this.saving === undefined) return;
    const entry = this.entries.get(key);
    if (entry !== undefined) this.saving.before(key, entry);
  }

  /** Slots whose rule can no longer use them are emptied, and keys with no slot left dropped. */
  sweep(watermarkMs: number): void {
    if (watermarkMs - this.sweptAt < this.sweepEveryMs) return;
    this.sweptAt = watermarkMs;
    const { slots, entries } = this;
    // forEach rather than for-of: no [key, value] pair allocated per key.
    const { saving } = this;
    entries.forEach((entry, key) => {
      let live = false;
      for (let i = 0; i < entry.length; i++) {
        const value = entry[i];
        if (value === undefined) continue;
        if (slots[i]!.isIdle(value, watermarkMs)) {
          saving?.before(key, entry);
          entry[i] = undefined;
        } else live = true;
      }
      if (!live) {
        saving?.before(key, entry);
        entries.delete(key);
      }
    });
    this.forget();
  }

  /** Every entry, each slot's values saved by `save[index]`, as a copy later events do not change. */
  save(save: readonly ((value: unknown) => unknown)[]): SavedKeyTable {
    const saving = this.startSave(save);
    try {
      return { sweptAt: saving.sweptAt, entries: [...saving.entries()] };
    } finally {
      saving.release();
    }
  }

  /**
   * Starts a save of the table as it is now, without copying it now: its entries are copied
   * as `entries()` reads them, or just before an event or a sweep changes one, whichever
   * comes first. Events may be processed between two reads; what `entries()` gives is
   * still the table as it was when the save started. One save at a time; `release` ends it.
   */
  startSave(save: readonly ((value: unknown) => unknown)[]): KeyTableSave {
    if (this.saving) throw new StateError('a save of this key table is already under way');
    this.forget();
    const saving = new KeyTableSave(this.entries, save, saveTime(this.sweptAt), () => {
      if (this.saving === saving) this.saving = undefined;
    });
    this.saving = saving;
    return saving;
  }

  /**
   * Fills an empty table (its slots laid out) from a saved one: the saved slot `i`'s values
   * go where `placements[i]` says, and slots with no placement (a rule since changed or
   * gone) are left out.
   */
  load(saved: SavedKeyTable, placements: readonly (SlotPlacement | undefined)[]): void {
    this.sweptAt = restoreTime(saved.sweptAt, Number.NEGATIVE_INFINITY);
    for (const [key, values] of saved.entries) {
      let entry: unknown[] | undefined;
      for (let i = 0; i < values.length; i++) {
        const value = values[i];
        const placement = placements[i];
        if (value === null || value === undefined || placement === undefined) continue;
        (entry ??= new Array<unknown>(this.width).fill(undefined))[placement.index] = placement.restore(value);
      }
      if (entry) this.entries.set(key, entry);
    }
    this.forget();
  }

  /** Keys holding a value in slot `index`, for reports. */
  count(index: number): number {
    let n = 0;
    for (const entry of this.entries.values()) if (entry[index] !== undefined) n += 1;
    return n;
  }

  private forget(): void {
    this.lastEvent = undefined;
    this.lastKey = undefined;
    this.lastEntry = undefined;
  }
}

/** A save of a key table under way (see {@link KeyTable.startSave}). */
export class KeyTableSave {
  /**
   * Keys whose entry was copied before it changed (the copy, until `entries()` gives it),
   * or that need no copy: already given, or made after the save started (null).
   */
  private readonly taken = new Map<string, unknown[] | null>();

  constructor(
    /** The table's own entries, read live. */
    private readonly live: Map<string, unknown[]>,
    private readonly save: readonly ((value: unknown) => unknown)[],
    readonly sweptAt: number | null,
    private readonly end: () => void,
  ) {}

  /** The entry is about to change: copy it unless it was given or copied already. */
  before(key: string, entry: unknown[]): void {
    if (!this.taken.has(key)) this.taken.set(key, this.copy(entry));
  }

  /** The key's entry was made after the save started: it is not part of it (unless it was there at the start, then swept). */
  made(key: string): void {
    if (!this.taken.has(key)) this.taken.set(key, null);
  }

  /** Copies every entry not given or copied yet: before the table changes its layout. */
  takeAll(): void {
    this.live.forEach((entry, key) => {
        this.before(key, entry);
      });
  }

  /** The table's entries as they were when the save started, each a copy, in the table's order. */
  *entries(): Generator<[string, unknown[]]> {
    // A Map iterator is live: it skips keys deleted since and reaches keys added since.
    for (const [key, entry] of this.live) {
      const taken = this.taken.get(key);
      if (taken === null) continue;
      this.taken.set(key, null);
      yield [key, taken ?? this.copy(entry)];
    }
    // Entries copied and then swept away.
    for (const [key, taken] of this.taken) {
      if (taken === null) continue;
      this.taken.set(key, null);
      yield [key, taken];
    }
    // Everything is given: nothing needs copying any more.
    this.release();
  }

  /** Ends the save (when `entries()` has given everything, or the save is given up): the table no longer copies entries before they change. */
  release(): void {
    this.end();
    this.taken.clear();
  }

  private copy(entry: unknown[]): unknown[] {
    const values = new Array<unknown>(entry.length);
    for (let i = 0; i < entry.length; i++) {
      const value = entry[i];
      values[i] = value === undefined ? null : this.save[i]!(value);
    }
    return values;
  }
}

/** One rule's place in the entries of a key table. */
export class KeySlot<V> {
  /** Set by the table. */
  index = -1;

  // Stored with the value type erased, so that the table can hold the slots of every rule in one list.
  private readonly idle: (value: unknown, watermarkMs: number) => boolean;

  constructor(
    private readonly table: KeyTable,
    /** How far back in event time the rule reads (its window). */
    readonly reachMs: number,
    idle: (value: V, watermarkMs: number) => boolean,
  ) {
    this.idle = idle as (value: unknown, watermarkMs: number) => boolean;
  }

  /** Whether the rule can no longer use `value` at this watermark or later: the sweep then drops it. */
  isIdle(value: V, watermarkMs: number): boolean {
    return this.idle(value, watermarkMs);
  }

  /** The rule's value for `key`, computed from `event`. */
  get(key: string, event: object): V | undefined {
    return this.table.find(key, event)?.[this.index] as V | undefined;
  }

  set(key: string, event: object, value: V): void {
    this.table.ensure(key, event)[this.index] = value;
  }

  /** The rule is about to change its value for `key` other than through `get` (see {@link KeyTable.changing}). */
  changing(key: string): void {
    this.table.changing(key);
  }

  get size(): number {
    return this.table.count(this.index);
  }
}
