import { restoreTime, saveTime } from './saved-state.ts';

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
    slots.forEach((s, i) => (s.index = i));
    this.forget();
    if (from.length === this.width && from.every((f, i) => f === i)) return;
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
    return (this.lastEntry = this.entries.get(key));
  }

  /** The key's entry, made if it has none. */
  ensure(key: string, event: object): unknown[] {
    const found = this.find(key, event);
    if (found) return found;
    const entry = new Array<unknown>(this.width).fill(undefined);
    this.entries.set(key, entry);
    this.lastEntry = entry;
    return entry;
  }

  /** Slots whose rule can no longer use them are emptied, and keys with no slot left dropped. */
  sweep(watermarkMs: number): void {
    if (watermarkMs - this.sweptAt < this.sweepEveryMs) return;
    this.sweptAt = watermarkMs;
    const { slots, entries } = this;
    // forEach rather than for-of: no [key, value] pair allocated per key.
    entries.forEach((entry, key) => {
      let live = false;
      for (let i = 0; i < entry.length; i++) {
        const value = entry[i];
        if (value === undefined) continue;
        if (slots[i]!.isIdle(value, watermarkMs)) entry[i] = undefined;
        else live = true;
      }
      if (!live) entries.delete(key);
    });
    this.forget();
  }

  /** Every entry, each slot's values saved by `save[index]`, as a copy later events do not change. */
  save(save: readonly ((value: unknown) => unknown)[]): SavedKeyTable {
    const entries: [string, unknown[]][] = [];
    this.entries.forEach((entry, key) => {
      const values = new Array<unknown>(entry.length);
      for (let i = 0; i < entry.length; i++) {
        const value = entry[i];
        values[i] = value === undefined ? null : save[i]!(value);
      }
      entries.push([key, values]);
    });
    return { sweptAt: saveTime(this.sweptAt), entries };
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

  get size(): number {
    return this.table.count(this.index);
  }
}
