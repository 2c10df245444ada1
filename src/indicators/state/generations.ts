/**
 * Per-key state that forgets idle keys in O(1): entries live in a current and a
 * previous generation; every `horizon` of event time the previous one is dropped and
 * the current one becomes previous. A key touched within the last horizon is always
 * kept; a key idle for two horizons is always gone. Cheaper than keeping the Map in
 * activity order, which cost a delete and a re-insert per event.
 */
export class Generations<V> {
  private current = new Map<string, V>();
  private previous = new Map<string, V>();
  private rotatedAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly horizonMs: number) {}

  get size(): number {
    return this.current.size + this.previous.size;
  }

  get(key: string): V | undefined {
    const value = this.current.get(key);
    if (value !== undefined) return value;
    const old = this.previous.get(key);
    if (old !== undefined) {
      this.previous.delete(key);
      this.current.set(key, old);
    }
    return old;
  }

  set(key: string, value: V): void {
    this.current.set(key, value);
  }

  /** Moves the generations on when the watermark has advanced a horizon since the last move. */
  rotate(watermarkMs: number): void {
    if (this.rotatedAt === Number.NEGATIVE_INFINITY) {
      this.rotatedAt = watermarkMs;
      return;
    }
    if (watermarkMs - this.rotatedAt < this.horizonMs) return;
    this.previous = this.current;
    this.current = new Map();
    this.rotatedAt = watermarkMs;
  }
}
