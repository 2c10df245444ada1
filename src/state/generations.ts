import { restoreTime, saveTime } from './saved-state.ts';

/** Generations as plain JSON: each key with its saved value and the generation it was last touched in. */
export interface SavedGenerations<S> {
  generation: number;
  rotatedAt: number | null;
  slots: [string, S, number][];
}

interface Slot<V> {
  value: V;
  /** The generation in which the key was last read or written. */
  generation: number;
}

/**
 * Per-key state that forgets idle keys: every `horizon` of event time a new generation
 * begins, and keys last touched two generations ago or earlier are dropped in one pass
 * over the map. A key touched within the last horizon is always kept; a key idle for
 * two horizons is always gone.
 *
 * One Map, one lookup per access, and touching a key is an integer write. (The first
 * version kept a current and a previous Map and moved each key across on its first touch
 * after a rotation: up to three hash operations per access on maps of 100,000 keys.)
 */
export class Generations<V> {
  private readonly slots = new Map<string, Slot<V>>();
  private generation = 0;
  private rotatedAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly horizonMs: number) {}

  get size(): number {
    return this.slots.size;
  }

  get(key: string): V | undefined {
    const slot = this.slots.get(key);
    if (slot === undefined) return undefined;
    slot.generation = this.generation;
    return slot.value;
  }

  set(key: string, value: V): void {
    const slot = this.slots.get(key);
    if (slot === undefined) this.slots.set(key, { value, generation: this.generation });
    else {
      slot.value = value;
      slot.generation = this.generation;
    }
  }

  /** A copy in plain JSON, each value saved by `save`, in map order. */
  save<S>(save: (value: V) => S): SavedGenerations<S> {
    const slots: [string, S, number][] = [];
    for (const [key, slot] of this.slots) slots.push([key, save(slot.value), slot.generation]);
    return { generation: this.generation, rotatedAt: saveTime(this.rotatedAt), slots };
  }

  /** Continues from a saved copy (replacing what it holds), each value restored by `restore`. */
  restore<S>(saved: SavedGenerations<S>, restore: (value: S) => V): void {
    this.slots.clear();
    this.generation = saved.generation;
    this.rotatedAt = restoreTime(saved.rotatedAt, Number.NEGATIVE_INFINITY);
    for (const [key, value, generation] of saved.slots) this.slots.set(key, { value: restore(value), generation });
  }

  /** Begins a new generation when the watermark has advanced a horizon since the last one, and drops the idle keys. */
  rotate(watermarkMs: number): void {
    if (this.rotatedAt === Number.NEGATIVE_INFINITY) {
      this.rotatedAt = watermarkMs;
      return;
    }
    if (watermarkMs - this.rotatedAt < this.horizonMs) return;
    this.generation += 1;
    this.rotatedAt = watermarkMs;
    const oldest = this.generation - 1;
    for (const [key, slot] of this.slots) if (slot.generation < oldest) this.slots.delete(key);
  }
}
