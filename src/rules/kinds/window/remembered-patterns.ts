import { restoreValue, saveValue } from '../../../state/saved-state.ts';

/** What is kept per key that fired: the values it fired with, and until when. */
interface Known {
  values: Set<unknown>;
  until: number;
}

/** Saved form: `[key, values, until]` per key. */
export type SavedPatterns = [string, unknown[], number][];

/**
 * A window's `remember`: the distinct values each key already fired with, so that an
 * established pattern alerts once and a new value alerts again. Kept apart from the key
 * table (it outlives the window's own events) and only for keys that fired, so small.
 */
export class RememberedPatterns {
  private readonly known = new Map<string, Known>();

  constructor(private readonly forMs: number) {}

  /**
   * Whether a window of `key` that reached its thresholds at `t` with `values` fires:
   * the values it has not fired with within the period (all of them when it has none
   * remembered), which it now remembers; null when every value is known.
   */
  admit(key: string, values: ReadonlySet<unknown>, t: number): unknown[] | null {
    let known = this.known.get(key);
    if (known && known.until < t) {
      this.known.delete(key);
      known = undefined;
    }
    if (!known) {
      this.known.set(key, { values: new Set(values), until: t + this.forMs });
      return [...values];
    }
    const fresh = [...values].filter((v) => !known.values.has(v));
    if (fresh.length === 0) return null;
    for (const v of fresh) known.values.add(v);
    known.until = t + this.forMs;
    return fresh;
  }

  /** The values `key` fired with that are still remembered at `t`. */
  valuesOf(key: string, t: number): unknown[] {
    const known = this.known.get(key);
    return known && known.until >= t ? [...known.values] : [];
  }

  sweep(watermark: number): void {
    for (const [key, known] of this.known) if (known.until < watermark) this.known.delete(key);
  }

  save(): SavedPatterns {
    return [...this.known].map(([key, k]) => [key, [...k.values].map((v) => saveValue(v)), k.until]);
  }

  restore(saved: SavedPatterns | undefined): void {
    this.known.clear();
    for (const [key, values, until] of saved ?? []) this.known.set(key, { values: new Set(values.map((v) => restoreValue(v))), until });
  }
}
