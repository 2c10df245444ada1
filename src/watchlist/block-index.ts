import type { Vocabulary } from './vocabulary.ts';

/**
 * A part on its own brings in the names that hold it only when at most this many do: a rare
 * family name (Haqqani) is evidence enough to compare, a common one (Mohammad) is not.
 */
const SINGLE_CAP = 16;

/**
 * Listed names filed under blocking keys: each pair of distinct parts under every combination
 * of their keys, a one-part name under its part's keys, and each part of a longer name under
 * its own keys too (a query whose other parts are misspelt beyond their keys still meets the
 * name through a rare part, see SINGLE_CAP). Keys are the vocabulary's integer ids and a pair
 * is one number, so that looking a new name up builds and hashes no key text.
 */
export class BlockIndex {
  private readonly pairs = new Map<number, Int32Array>();
  private readonly singles: (Int32Array | undefined)[];
  /** Pair keys are `lo * width + hi` of the two key ids. */
  private readonly width: number;
  private readonly seen: Uint32Array;
  private stamp = 0;

  /** @param names the listed names' parts (interned, vocabulary frozen), in record order. */
  constructor(names: readonly Int32Array[], vocabulary: Vocabulary) {
    this.width = vocabulary.keyCount();
    this.seen = new Uint32Array(this.width);
    const pairs = new Map<number, number[]>();
    const singles: (number[] | undefined)[] = new Array(this.width);
    const file = (postings: number[], r: number): void => {
      if (postings[postings.length - 1] !== r) postings.push(r);
    };
    names.forEach((tokens, r) => {
      if (tokens.length === 1) {
        for (const k of vocabulary.keys(tokens[0]!)) file((singles[k] ??= []), r);
        return;
      }
      this.eachPair(tokens, vocabulary, (key) => {
        let p = pairs.get(key);
        if (p === undefined) pairs.set(key, (p = []));
        file(p, r);
      });
      for (const t of tokens) for (const k of vocabulary.keys(t)) file((singles[k] ??= []), r);
    });
    // Packed once built: iterating typed arrays is cheaper than arrays of boxed numbers.
    for (const [key, postings] of pairs) this.pairs.set(key, Int32Array.from(postings));
    this.singles = singles.map((p) => (p === undefined ? undefined : Int32Array.from(p)));
  }

  /**
   * The postings a name meets, in a fixed order (pairs of parts, then single parts), into `out`
   * from its start; returns how many. A one-part name meets the names filed under its keys; a
   * longer one those filed under its pairs, and under its single parts where at most
   * SINGLE_CAP names are.
   */
  postings(tokens: Int32Array, vocabulary: Vocabulary, out: Int32Array[]): number {
    let n = 0;
    if (tokens.length === 1) {
      for (const k of vocabulary.keys(tokens[0]!)) {
        const p = this.singles[k];
        if (p !== undefined) out[n++] = p;
      }
      return n;
    }
    const width = this.width;
    for (let i = 0; i < tokens.length; i++) {
      const ti = tokens[i]!;
      const ki = vocabulary.keys(ti);
      for (let j = i + 1; j < tokens.length; j++) {
        const tj = tokens[j]!;
        if (ti === tj) continue;
        const kj = vocabulary.keys(tj);
        for (let a = 0; a < ki.length; a++) {
          const x = ki[a]!;
          for (let b = 0; b < kj.length; b++) {
            const y = kj[b]!;
            const p = this.pairs.get(x < y ? x * width + y : y * width + x);
            if (p !== undefined) out[n++] = p;
          }
        }
      }
    }
    // Each key once, in the order first met.
    this.stamp = (this.stamp + 1) >>> 0;
    if (this.stamp === 0) {
      this.seen.fill(0);
      this.stamp = 1;
    }
    for (let i = 0; i < tokens.length; i++) {
      const keys = vocabulary.keys(tokens[i]!);
      for (let a = 0; a < keys.length; a++) {
        const k = keys[a]!;
        if (this.seen[k] === this.stamp) continue;
        this.seen[k] = this.stamp;
        const p = this.singles[k];
        if (p !== undefined && p.length <= SINGLE_CAP) out[n++] = p;
      }
    }
    return n;
  }

  private eachPair(tokens: Int32Array, vocabulary: Vocabulary, visit: (key: number) => void): void {
    for (let i = 0; i < tokens.length; i++) {
      for (let j = i + 1; j < tokens.length; j++) {
        if (tokens[i] === tokens[j]) continue;
        for (const x of vocabulary.keys(tokens[i]!)) for (const y of vocabulary.keys(tokens[j]!)) visit(x < y ? x * this.width + y : y * this.width + x);
      }
    }
  }
}
