import { jaroWinkler } from './jaro-winkler.ts';
import { partSimilarity } from './part-similarity.ts';

/**
 * Best alignment of the parts of two names, in any order: greedy on similarity (names have
 * two to five parts, where greedy and optimal assignment almost always agree), then a part
 * left over next to an aligned one may join it ("Abdul Rahman" against "Abdulrahman").
 */

export interface AlignedPair {
  /** Indexes of the query parts (two when the query's parts were joined). */
  query: number[];
  /** Indexes of the listed name's parts (two when they were joined). */
  entry: number[];
  similarity: number;
}

export interface Alignment {
  pairs: AlignedPair[];
  /** Mean similarity of the aligned pairs, weighted by part length. */
  mean: number;
  unmatchedQuery: number[];
  unmatchedEntry: number[];
}

/** Aligned parts must be at least this similar; below it two parts are different names. */
export const PART_FLOOR = 0.8;

/**
 * @param sim similarity of query part `i` and entry part `j` (cached by the caller).
 * @param joined similarity of two strings, for joined parts (rare, not cached).
 */
export function alignParts(
  q: readonly string[],
  e: readonly string[],
  sim: (i: number, j: number) => number,
  joined: (a: string, b: string) => number,
): Alignment {
  const nq = q.length;
  const ne = e.length;
  const cells: { i: number; j: number; s: number }[] = [];
  for (let i = 0; i < nq; i++) {
    for (let j = 0; j < ne; j++) {
      const s = sim(i, j);
      if (s >= PART_FLOOR) cells.push({ i, j, s });
    }
  }
  cells.sort((a, b) => b.s - a.s || a.i - b.i || a.j - b.j);
  const qUsed = new Array<boolean>(nq).fill(false);
  const eUsed = new Array<boolean>(ne).fill(false);
  const pairs: AlignedPair[] = [];
  joinCompounds(q, e, pairs, qUsed, eUsed, joined);
  for (const c of cells) {
    if (qUsed[c.i] || eUsed[c.j]) continue;
    qUsed[c.i] = eUsed[c.j] = true;
    pairs.push({ query: [c.i], entry: [c.j], similarity: c.s });
  }
  if (pairs.length < nq || pairs.length < ne) joinLeftovers(q, e, pairs, qUsed, eUsed, joined);
  // A head left alone against a whole compound name is not a match of that name: Abdul with
  // Rahman unjoined is not Abdullah. (Joined to its neighbour it was compared whole above.)
  for (let k = pairs.length - 1; k >= 0; k--) {
    const p = pairs[k]!;
    if (p.query.length > 1 || p.entry.length > 1 || !loneHead(q[p.query[0]!]!, e[p.entry[0]!]!)) continue;
    qUsed[p.query[0]!] = eUsed[p.entry[0]!] = false;
    pairs.splice(k, 1);
  }
  // Parts that fit nowhere on their own may still be one part split in two.
  if (pairs.length === 0 && (nq > 1 || ne > 1)) {
    const s = joined(q.join(''), e.join(''));
    if (s >= PART_FLOOR) {
      pairs.push({ query: q.map((_, i) => i), entry: e.map((_, j) => j), similarity: s });
      qUsed.fill(true);
      eUsed.fill(true);
    }
  }
  let weighted = 0;
  let weights = 0;
  for (const p of pairs) {
    const w = Math.max(length(q, p.query), length(e, p.entry));
    weighted += p.similarity * w;
    weights += w;
  }
  return {
    pairs,
    mean: weights === 0 ? 0 : weighted / weights,
    unmatchedQuery: indexesOf(qUsed, false),
    unmatchedEntry: indexesOf(eUsed, false),
  };
}

function joinLeftovers(
  q: readonly string[],
  e: readonly string[],
  pairs: AlignedPair[],
  qUsed: boolean[],
  eUsed: boolean[],
  joined: (a: string, b: string) => number,
): void {
  for (const p of pairs) {
    const qi = p.query[0]!;
    const ej = p.entry[0]!;
    for (const [side, idx, used, parts, other] of [
      ['entry', ej, eUsed, e, q[qi]!],
      ['query', qi, qUsed, q, e[ej]!],
    ] as const) {
      // The query is family name first; read given name first, its last part comes before its
      // first, so a family name split in two across the fields still joins.
      const wrap = side === 'query' && parts.length > 2;
      for (const after of [true, false]) {
        let n = after ? idx + 1 : idx - 1;
        if (wrap && n === parts.length) n = 0;
        else if (wrap && n === -1) n = parts.length - 1;
        if (n < 0 || n >= parts.length || used[n]) continue;
        if (!joinable(parts[idx]!.length + parts[n]!.length, other.length)) continue;
        const text = after ? parts[idx]! + parts[n]! : parts[n]! + parts[idx]!;
        const s = joined(other, text);
        if (s > p.similarity) {
          used[n] = true;
          p.similarity = s;
          if (side === 'entry') p.entry = after ? [idx, n] : [n, idx];
          else p.query = after ? [idx, n] : [n, idx];
          break;
        }
      }
      if (p.entry.length > 1 || p.query.length > 1) break;
    }
  }
}

/** Heads of compound given names (Abdul Rahman, Abu Bakr), as skeletons, with their article or not. */
export const COMPOUND_HEADS: ReadonlySet<string> = new Set([
  'abd', 'abdu', 'abdul', 'abdel', 'abdal', 'abdol', 'abdil', 'abdur', 'abdus', 'abu', 'abul', 'abual', 'abuel', 'abo',
]);

/**
 * Whether one of two parts is the head of a compound name and the other a longer part that is
 * not but starts with it: Jaro-Winkler's prefix bonus gives Abdul 0.89-0.95 against Abdullah,
 * Abdulaziz or Abdulrahman, names it says nothing about on its own.
 */
export function loneHead(a: string, b: string): boolean {
  const ha = COMPOUND_HEADS.has(a);
  const hb = COMPOUND_HEADS.has(b);
  return ha !== hb && (ha ? b.length > a.length && b.startsWith(a) : a.length > b.length && a.startsWith(b));
}

/**
 * A compound name written as one part (Abdulghani) against its head and the next part written
 * apart (Abdul Ghani) is paired before anything else: the name may hold the same head twice
 * (Abdul Ghani Baradar Abdul Ahmad), and the head taken by the wrong partner leaves the other
 * alone (see `loneHead`).
 */
function joinCompounds(
  q: readonly string[],
  e: readonly string[],
  pairs: AlignedPair[],
  qUsed: boolean[],
  eUsed: boolean[],
  joined: (a: string, b: string) => number,
): void {
  for (const [side, one, oneUsed, two, twoUsed] of [
    ['query', q, qUsed, e, eUsed],
    ['entry', e, eUsed, q, qUsed],
  ] as const) {
    for (let j = 0; j < one.length; j++) {
      if (oneUsed[j] || !isCompound(one[j]!)) continue;
      for (let i = 0; i + 1 < two.length; i++) {
        if (twoUsed[i] || twoUsed[i + 1] || !COMPOUND_HEADS.has(two[i]!)) continue;
        if (!joinable(two[i]!.length + two[i + 1]!.length, one[j]!.length)) continue;
        const s = joined(one[j]!, two[i]! + two[i + 1]!);
        if (s < COMPOUND_JOIN) continue;
        oneUsed[j] = twoUsed[i] = twoUsed[i + 1] = true;
        const both = [i, i + 1];
        pairs.push(side === 'query' ? { query: [j], entry: both, similarity: s } : { query: both, entry: [j], similarity: s });
        break;
      }
    }
  }
}

/** A compound and its parts written apart are paired first when at least this alike. */
const COMPOUND_JOIN = 0.9;

function isCompound(part: string): boolean {
  if (COMPOUND_HEADS.has(part)) return false;
  for (const h of COMPOUND_HEADS) if (part.length > h.length && part.startsWith(h)) return true;
  return false;
}

/**
 * How alike two parts are when one of them is two parts joined. Both starting with the same head
 * of a compound (Abdulmajid against Abdul+Wahid), what follows the head is the name: it is
 * compared on its own, as a part is, since Jaro-Winkler over the whole would credit the shared
 * head (0.95 for those two different names).
 */
export function joinedSimilarity(a: string, b: string): number {
  let head = 0;
  for (const h of COMPOUND_HEADS) {
    if (h.length > head && a.length - h.length >= 3 && b.length - h.length >= 3 && a.startsWith(h) && b.startsWith(h)) head = h.length;
  }
  return head === 0 ? jaroWinkler(a, b) : partSimilarity(a.slice(head), b.slice(head));
}

/** Two parts joined can only be one part of about their total length (Jaro-Winkler ≥ 0.8 needs it). */
export function joinable(joinedLength: number, otherLength: number): boolean {
  return joinedLength * 4 <= otherLength * 5 && otherLength * 4 <= joinedLength * 5;
}

/** Whether some two neighbouring parts of one name could be joined into a part of the other. */
export function anyJoinable(q: readonly string[], e: readonly string[]): boolean {
  if (neighboursJoinable(q, e) || neighboursJoinable(e, q)) return true;
  // The query's last and first parts (given name first: see `joinLeftovers`).
  if (q.length > 2) {
    const n = q[0]!.length + q[q.length - 1]!.length;
    for (let j = 0; j < e.length; j++) if (joinable(n, e[j]!.length)) return true;
  }
  return false;
}

/** Whether two neighbouring parts of `a` could be joined into a part of `b` (no pair of lists built per call). */
function neighboursJoinable(a: readonly string[], b: readonly string[]): boolean {
  for (let i = 0; i + 1 < a.length; i++) {
    const n = a[i]!.length + a[i + 1]!.length;
    for (let j = 0; j < b.length; j++) if (joinable(n, b[j]!.length)) return true;
  }
  return false;
}

function length(parts: readonly string[], idx: readonly number[]): number {
  let n = 0;
  for (const i of idx) n += parts[i]!.length;
  return n;
}

function indexesOf(flags: readonly boolean[], value: boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < flags.length; i++) if (flags[i] === value) out.push(i);
  return out;
}
