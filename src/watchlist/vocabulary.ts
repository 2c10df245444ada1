import { PART_FLOOR } from './align-parts.ts';
import { doubleMetaphone } from './double-metaphone.ts';
import { type Form, READING, decodeForms, formSimilarityValue } from './part-forms.ts';
import { type LetterCounts, letterCounts, partBound, similarityBound } from './similarity-bound.ts';

/** At most this many parts of a name are compared. */
export const MAX_PARTS = 16;
const SIM_CACHE_LIMIT = 2_000_000;

/** Interned parts (their encoded forms, `partForms`) with their blocking keys and a cache of pairwise similarities. */
export class Vocabulary {
  private readonly ids = new Map<string, number>();
  private readonly texts: string[] = [];
  private readonly formLists: Form[][] = [];
  private readonly letterLists: (LetterCounts | undefined)[] = [];
  private readonly keyLists: Int32Array[] = [];
  private readonly keyIdsByText = new Map<string, number>();
  /** Scratch: the blocking keys of the part being interned (a handful: a list beats a set). */
  private readonly scratchKeys: string[] = [];
  private sims = new Map<number, number>();

  private listed = 0;
  private frozen = false;

  /** Marks every part so far as a listed part, kept for good, and their blocking keys as the only keys. */
  freeze(): void {
    this.listed = this.texts.length;
    this.frozen = true;
  }

  /** How many distinct blocking keys the listed parts have (key ids run from 0 to this, exclusive). */
  keyCount(): number {
    return this.keyIdsByText.size;
  }

  /** Parts interned from queries since `freeze`. */
  queryParts(): number {
    return this.texts.length - this.listed;
  }

  /** Drops the parts interned from queries and every cached similarity. */
  forgetQueryParts(): void {
    for (let id = this.listed; id < this.texts.length; id++) this.ids.delete(this.texts[id]!);
    this.texts.length = this.listed;
    this.formLists.length = this.listed;
    this.letterLists.length = this.listed;
    this.keyLists.length = this.listed;
    this.sims = new Map();
    this.rowStamp.fill(0);
  }

  /** @param decoded `decodeForms(text)`, when the caller has the forms already. */
  intern(text: string, decoded?: Form[]): number {
    let id = this.ids.get(text);
    if (id === undefined) {
      id = this.texts.push(text) - 1;
      this.ids.set(text, id);
      const forms = decoded ?? decodeForms(text);
      this.formLists.push(forms);
      this.letterLists.push(letterCounts(forms));
      // Filed under every reading's keys (a German spelling meets the English one), but not
      // the stem's: a stem shares its first letters, so its prefix key, with the whole part;
      // nor the Persian reading's, which changes vowels (Double Metaphone's key already
      // ignores them) and q for gh (one code, K): its keys would double the candidates of
      // every name with an o or e for nothing.
      const keys = this.scratchKeys;
      keys.length = 0;
      for (const f of forms) if (f.reading !== READING.stem && f.reading !== READING.persian) partKeys(f.text, keys);
      this.keyLists.push(this.keyIds(keys));
    }
    return id;
  }

  /**
   * Blocking keys as small integers, in the order of `keys`: a listed part's keys are numbered
   * as they are met; a query part keeps only keys some listed part has, since no name is filed
   * under any other.
   */
  private keyIds(keys: readonly string[]): Int32Array {
    const ids = new Int32Array(keys.length);
    let n = 0;
    for (const k of keys) {
      let id = this.keyIdsByText.get(k);
      if (id === undefined && !this.frozen) {
        id = this.keyIdsByText.size;
        this.keyIdsByText.set(k, id);
      }
      if (id !== undefined) ids[n++] = id;
    }
    return n === ids.length ? ids : ids.slice(0, n);
  }

  /** The forms of an interned part. */
  forms(id: number): readonly Form[] {
    return this.formLists[id]!;
  }

  /** The blocking keys of an interned part (ids, see `keyIds`): its Double Metaphone codes and prefix, over its readings. */
  keys(id: number): Int32Array {
    return this.keyLists[id]!;
  }

  // Similarities of the current query's parts to each listed part met while screening it:
  // candidates of one query share most of their parts (namesakes), so each pair is looked
  // up in the shared cache once per query and read from these arrays after that.
  private queryTokens: Int32Array = new Int32Array(0);
  private rowStamp = new Uint32Array(1024);
  private rows = new Float64Array(1024 * MAX_PARTS);
  private stamp = 0;

  /** Starts memoising similarities to the parts of one query (at most MAX_PARTS of them). */
  beginQuery(tokens: Int32Array): void {
    this.queryTokens = tokens;
    this.stamp = (this.stamp + 1) >>> 0;
    if (this.stamp === 0) {
      this.rowStamp.fill(0);
      this.stamp = 1;
    }
    if (this.texts.length > this.rowStamp.length) {
      const size = Math.max(this.texts.length, this.rowStamp.length * 2);
      this.rowStamp = new Uint32Array(size);
      this.rows = new Float64Array(size * MAX_PARTS);
    }
  }

  /** Similarity of part `i` of the current query to listed part `e` (as `similarity`). */
  querySimilarity(i: number, e: number): number {
    const base = e * MAX_PARTS;
    if (this.rowStamp[e] !== this.stamp) {
      this.rowStamp[e] = this.stamp;
      const q = this.queryTokens;
      for (let k = 0; k < q.length; k++) this.rows[base + k] = this.similarity(q[k]!, e);
    }
    return this.rows[base + i]!;
  }

  similarity(a: number, b: number): number {
    if (a === b) return 1;
    const lo = a < b ? a : b;
    const hi = a < b ? b : a;
    // Keys below 2^30 stay small integers in V8 (no boxed doubles on the hot path); larger
    // vocabularies fall back to exact double keys.
    const key = hi < 32_768 ? lo * 32_768 + hi : lo * 67_108_864 + hi + 1_073_741_824;
    const fa = this.formLists[a]!;
    const fb = this.formLists[b]!;
    const ca = this.letterLists[a];
    const cb = this.letterLists[b];
    // Below the part floor no similarity is ever read but as "too different to align", so a
    // bound under it stands in for the similarity: most pairs cost no Jaro-Winkler, and are
    // not kept (the bound costs less than finding them in a cache of millions).
    const bound = ca === undefined || cb === undefined ? 1 : partBound(ca, cb) < PART_FLOOR ? 0 : similarityBound(fa, ca, fb, cb, PART_FLOOR);
    if (bound < PART_FLOOR) return bound;
    let s = this.sims.get(key);
    if (s === undefined) {
      s = formSimilarityValue(fa, fb);
      if (this.sims.size >= SIM_CACHE_LIMIT) this.sims = new Map();
      this.sims.set(key, s);
    }
    return s;
  }
}

/**
 * The first three letters of a part skeleton and its Double Metaphone codes (primary and
 * alternate), added to `keys` where not there yet (in the order a set keeps them).
 */
function partKeys(part: string, keys: string[]): void {
  const [primary, alternate] = doubleMetaphone(part);
  addKey(keys, `p${part.slice(0, 3)}`);
  // Codes of one or two sounds (AN, JN) are shared by too many parts to narrow anything.
  if (primary.length >= 3) addKey(keys, `m${primary}`);
  if (alternate !== primary && alternate.length >= 3) addKey(keys, `m${alternate}`);
}

function addKey(keys: string[], key: string): void {
  if (!keys.includes(key)) keys.push(key);
}
