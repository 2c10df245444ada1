import { flat } from './flat-string.ts';

/**
 * One copy of each string seen lately, for values kept per event in long-lived state (a
 * window's family names over 30 days): every event makes its own copy of the value, and
 * each kept copy is one more object for the garbage collector to move and mark, where the
 * names of a day's travellers are a few thousand. Bounded: when full it starts afresh,
 * which costs a copy per value again for a while, never correctness.
 */
export class StringPool {
  private readonly strings = new Map<string, string>();

  /** @param capacity strings held at most @default 8192 */
  constructor(private readonly capacity = 8192) {}

  /** The pooled copy of `text` (equal to it), or `text` itself, flattened, now pooled. */
  of(text: string): string {
    const pooled = this.strings.get(flat(text));
    if (pooled !== undefined) return pooled;
    if (this.strings.size >= this.capacity) this.strings.clear();
    this.strings.set(text, text);
    return text;
  }
}
