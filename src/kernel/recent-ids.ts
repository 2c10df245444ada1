/** Ids held per generation by default: two generations keep between one and two million. */
const GENERATION = 1_000_000;

/**
 * A map of the most recently set keys, bounded in two generations: once the current one
 * holds `generation` keys it becomes the previous one and the one before is dropped, so
 * it holds between `generation` and twice that many keys, always the newest, at the cost
 * of a clear now and then rather than bookkeeping on every set. For duplicate checks
 * that cannot keep every id they have seen (an id older than both generations is
 * forgotten, and a resend of it is taken as new).
 */
export class RecentIds<V> {
  private current = new Map<string, V>();
  private previous = new Map<string, V>();

  constructor(private readonly generation = GENERATION) {}

  get(key: string): V | undefined {
    return this.current.get(key) ?? this.previous.get(key);
  }

  has(key: string): boolean {
    return this.current.has(key) || this.previous.has(key);
  }

  set(key: string, value: V): void {
    if (this.current.size >= this.generation) {
      this.previous = this.current;
      this.current = new Map();
    }
    this.current.set(key, value);
  }

  delete(key: string): void {
    this.current.delete(key);
    this.previous.delete(key);
  }

  /** Keys held now: between the generation's size and twice it once full. */
  get size(): number {
    return this.current.size + this.previous.size;
  }
}
