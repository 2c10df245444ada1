/**
 * A binary min-heap of items due at an event time. Ties go in insertion order, so that
 * the same seed always yields the same order; O(log n) per push and pop keeps a day of
 * scheduled groups and regulars (tens of thousands of entries) cheap.
 */
export class EventQueue<T> {
  private readonly times: number[] = [];
  private readonly seqs: number[] = [];
  private readonly items: T[] = [];
  private seq = 0;

  get size(): number {
    return this.items.length;
  }

  /** Event time of the next item; Infinity when empty. */
  peekTime(): number {
    return this.items.length > 0 ? this.times[0]! : Number.POSITIVE_INFINITY;
  }

  push(t: number, item: T): void {
    const s = this.seq++;
    let i = this.items.length;
    this.times.push(t);
    this.seqs.push(s);
    this.items.push(item);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!precedes(t, s, this.times[parent]!, this.seqs[parent]!)) break;
      this.move(parent, i);
      i = parent;
    }
    this.put(i, t, s, item);
  }

  pop(): T | undefined {
    const n = this.items.length;
    if (n === 0) return undefined;
    const top = this.items[0]!;
    // The last item fills the root's hole and sinks to its place.
    const t = this.times.pop()!;
    const s = this.seqs.pop()!;
    const item = this.items.pop()!;
    const size = n - 1;
    if (size === 0) return top;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= size) break;
      const right = left + 1;
      const child = right < size && precedes(this.times[right]!, this.seqs[right]!, this.times[left]!, this.seqs[left]!) ? right : left;
      if (!precedes(this.times[child]!, this.seqs[child]!, t, s)) break;
      this.move(child, i);
      i = child;
    }
    this.put(i, t, s, item);
    return top;
  }

  private move(from: number, to: number): void {
    this.put(to, this.times[from]!, this.seqs[from]!, this.items[from]!);
  }

  private put(i: number, t: number, s: number, item: T): void {
    this.times[i] = t;
    this.seqs[i] = s;
    this.items[i] = item;
  }
}

function precedes(t1: number, s1: number, t2: number, s2: number): boolean {
  return t1 < t2 || (t1 === t2 && s1 < s2);
}
