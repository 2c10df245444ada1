import { InternalError } from '../errors.ts';
/**
 * A small seeded generator (sfc32, from PractRand) so that the same seed gives the
 * same traffic on every machine; Math.random cannot be seeded.
 */
const tables = new WeakMap<object, { keys: string[]; cumulative: number[] }>();

export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = seed >>> 0;
    for (let i = 0; i < 15; i++) this.next();
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.a >>>= 0;
    this.b >>>= 0;
    this.c >>>= 0;
    this.d >>>= 0;
    let t = (this.a + this.b) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.d = (this.d + 1) | 0;
    t = (t + this.d) | 0;
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new InternalError('pick from an empty list');
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** Picks a key of `weights` with probability proportional to its weight. */
  weighted<K extends string>(weights: Readonly<Record<K, number>>): K {
    // The same weight tables are drawn from millions of times: their entries are listed once.
    let table = tables.get(weights) as { keys: K[]; cumulative: number[] } | undefined;
    if (!table) {
      const keys = Object.keys(weights) as K[];
      let sum = 0;
      table = { keys, cumulative: keys.map((k) => (sum += weights[k])) };
      tables.set(weights, table);
    }
    const { keys, cumulative } = table;
    const r = this.next() * cumulative[cumulative.length - 1]!;
    for (let i = 0; i < keys.length; i++) if (r < cumulative[i]!) return keys[i]!;
    return keys[keys.length - 1]!;
  }

  /** Standard normal (Box-Muller). */
  normal(): number {
    const u = 1 - this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  /** A multiplier around 1 whose logarithm has standard deviation `sigma`. */
  logNormal(sigma: number): number {
    return Math.exp(sigma * this.normal());
  }

  exponential(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }

  digits(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += String(this.int(0, 9));
    return s;
  }
}
