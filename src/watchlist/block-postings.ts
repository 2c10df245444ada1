import { blockKeys, type Vocabulary } from './vocabulary.ts';

/**
 * A part on its own brings in the names that hold it only when at most this many do: a rare
 * family name (Haqqani) is evidence enough to compare, a common one (Mohammad) is not.
 */
const SINGLE_CAP = 16;
/** Pairs of parts whose postings are kept before the memo starts again. */
const PAIR_LIMIT = 1_000_000;
const NONE: readonly Int32Array[] = [];

/**
 * The postings a name's blocking keys bring in, memoised per part and per ordered pair of parts.
 * A traveller new to the index mostly carries parts it has met in other names (Karimov, Aziz),
 * so resolving a new name is a few lookups by part number rather than building each pair's key
 * texts and hashing them; the lists come out in the order the keys would give them (which sets
 * the order candidates are scored in, and so which of an entry's equal-scoring names is shown).
 */
export class BlockPostings {
  // Maps by part number: part numbers of travellers' names run high and sparse.
  private readonly byPair = new Map<number, Map<number, readonly Int32Array[]>>();
  private readonly single = new Map<number, readonly Int32Array[]>();
  private readonly singleCapped = new Map<number, readonly Int32Array[]>();
  private pairs = 0;

  constructor(
    private readonly packed: ReadonlyMap<string, Int32Array>,
    private readonly vocabulary: Vocabulary,
  ) {}

  /** Forgets every memo (part numbers are about to be reused: `Vocabulary.forgetQueryParts`). */
  forget(): void {
    this.byPair.clear();
    this.single.clear();
    this.singleCapped.clear();
    this.pairs = 0;
  }

  /**
   * Appends to `out` the postings of the name's blocking keys (`blockKeys`, in its order), then,
   * for a name of several parts, those of each part's own keys held by at most `SINGLE_CAP`
   * names, each list once.
   */
  collect(tokens: Int32Array, out: Int32Array[]): void {
    if (tokens.length === 1) {
      for (const p of this.ofPart(tokens[0]!, false)) out.push(p);
      return;
    }
    for (let i = 0; i < tokens.length; i++) {
      for (let j = i + 1; j < tokens.length; j++) {
        if (tokens[i] === tokens[j]) continue;
        for (const p of this.ofPair(tokens[i]!, tokens[j]!)) out.push(p);
      }
    }
    const pairsEnd = out.length;
    for (let i = 0; i < tokens.length; i++) {
      for (const p of this.ofPart(tokens[i]!, true)) {
        // Each key once (a key's list is one array): parts share keys (Ahmad, Ahmed).
        let seen = false;
        for (let k = pairsEnd; k < out.length && !seen; k++) seen = out[k] === p;
        if (!seen) out.push(p);
      }
    }
  }

  private ofPair(a: number, b: number): readonly Int32Array[] {
    let found = this.byPair.get(a)?.get(b);
    if (found === undefined) {
      const lists: Int32Array[] = [];
      for (const key of blockKeys(Int32Array.of(a, b), this.vocabulary)) {
        const p = this.packed.get(key);
        if (p !== undefined) lists.push(p);
      }
      found = lists.length === 0 ? NONE : lists;
      if (++this.pairs > PAIR_LIMIT) this.forget();
      let row = this.byPair.get(a);
      if (row === undefined) this.byPair.set(a, (row = new Map()));
      row.set(b, found);
    }
    return found;
  }

  /** The postings of one part's own keys: all of them, or (`capped`) those of at most `SINGLE_CAP` names. */
  private ofPart(t: number, capped: boolean): readonly Int32Array[] {
    const memo = capped ? this.singleCapped : this.single;
    let found = memo.get(t);
    if (found === undefined) {
      const lists: Int32Array[] = [];
      for (const key of this.vocabulary.keys(t)) {
        const p = this.packed.get(key);
        if (p !== undefined && (!capped || p.length <= SINGLE_CAP)) lists.push(p);
      }
      found = lists.length === 0 ? NONE : lists;
      memo.set(t, found);
    }
    return found;
  }
}
