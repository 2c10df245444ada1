import jaroWinkler from 'talisman/metrics/jaro-winkler.js';
import doubleMetaphone from 'talisman/phonetics/double-metaphone.js';
import { ConfigError } from '../errors.ts';
import { COMPOUND_HEADS, PART_FLOOR, alignParts, anyJoinable, joinable, loneHead } from './align-parts.ts';
import { partSimilarity } from './part-similarity.ts';
import { type DocumentHit, type DocumentList, DocumentIndex } from './document-index.ts';
import type { ListName, NameQuality, Watchlist, WatchlistEntry } from './entry.ts';
import { foldName, mrzNameText, type NormalisedName, normaliseName } from './normalise-name.ts';
import {
  DEFAULT_QUALIFIERS,
  type QualifierEffect,
  type QualifierOptions,
  dateOfBirthEffect,
  dateOfBirthValue,
  nationalityEffect,
  nationalityValue,
  sexEffect,
  sexValue,
} from './qualifiers.ts';

/** What is screened: a traveller as on a crossing, optionally with the MRZ name field. */
export interface ScreenQuery {
  familyName: string;
  givenNames: string;
  /** `YYYY-MM-DD`. */
  dateOfBirth?: string;
  sex?: 'F' | 'M' | 'X';
  /** ISO 3166-1 alpha-3. */
  nationality?: string;
  /** The MRZ name field (`FAMILY<<GIVEN<NAMES`), screened as well; the better of the two counts. */
  mrzNames?: string;
}

export interface AlignedPartExplanation {
  /** Query part(s) as folded (two joined with `+`). */
  query: string;
  /** Listed part(s) as folded. */
  entry: string;
  similarity: number;
}

export interface MatchExplanation {
  /** Which form of the query matched: the traveller's names or the MRZ name field. */
  from: 'names' | 'mrz';
  /** The listed name that matched, as listed. */
  listedName: string;
  quality: NameQuality;
  parts: AlignedPartExplanation[];
  unmatchedQuery: string[];
  unmatchedEntry: string[];
  /** Length-weighted mean similarity of the aligned parts. */
  nameScore: number;
  qualifiers: QualifierEffect[];
}

export interface Match {
  list: string;
  entryId: string;
  reference?: string;
  kind: WatchlistEntry['kind'];
  /** The primary listed name (the matched alias is in the explanation). */
  name: string;
  /** Name score plus qualifier effects, in [0, 1]. */
  score: number;
  /** The threshold the score was held to (the list's own, or the default). */
  threshold: number;
  explanation: MatchExplanation;
}

export interface WatchlistIndexOptions extends Partial<QualifierOptions> {
  /** Score at or above which a candidate is a match. @default 0.9 */
  threshold?: number;
  /** Per-list overrides, by list id. */
  lists?: Record<string, { threshold?: number }>;
  /** Kinds of entries screened by name. @default ['individual'] */
  kinds?: readonly WatchlistEntry['kind'][];
  /**
   * Scripts of original-script names that are screened. Arabic script writes few vowels, so
   * its Latin fold (`mhmd`) does not align with vowelled spellings and only adds noise; the
   * UN list carries Latin forms of those names anyway. @default ['Cyrl']
   */
  scripts?: readonly string[];
  /** Stolen/lost travel document lists, matched exactly by `checkDocument`. */
  documentLists?: readonly DocumentList[];
  /** At most this many matches are returned, best first. @default 10 */
  maxMatches?: number;
}

export interface WatchlistIndex {
  /** Entries screened by name. */
  readonly size: number;
  /** Matches at or above their list's threshold, best first. */
  screen(query: ScreenQuery): Match[];
  /** Every scored candidate, with its score, whatever the threshold (for tuning and explaining a miss). */
  candidates(query: ScreenQuery): Match[];
  /** Documents listed under this number and issuing state (exact after normalisation). */
  checkDocument(number: string, issuingState?: string): DocumentHit[];
}

interface NameRecord {
  entry: number;
  name: ListName;
  /** Folded parts for the explanation (particles dropped, as aligned). */
  parts: string[];
  tokens: Int32Array;
  /** Skeletons of the parts, as interned. */
  keys: string[];
  /** Whether a part is the head of a compound name (Abdul, Abu): see `loneHead`. */
  heads: boolean;
}

/** A query name prepared once (and cached): skeletons, interned parts, blocking keys. */
interface PreparedName {
  name: NormalisedName;
  tokens: Int32Array;
  /** How many leading parts (of `tokens`) are the traveller's family name. */
  family: number;
  /** Whether a part is the head of a compound name (Abdul, Abu): see `loneHead`. */
  heads: boolean;
  /**
   * Names to compare (record numbers, each once): those filed under the name's pairs of parts,
   * and under its single parts (multi-part names only) where at most SINGLE_CAP names share them.
   * A one-part name is compared with one-part names only.
   */
  candidates: Int32Array;
  /** Earliest and latest listed birth year of each candidate's entry (0: none listed). */
  lo: Int16Array;
  hi: Int16Array;
}

const QUERY_CACHE_LIMIT = 200_000;
const QUERY_VOCABULARY_LIMIT = 500_000;
/**
 * A part on its own brings in the names that hold it only when at most this many do: a rare
 * family name (Haqqani) is evidence enough to compare, a common one (Mohammad) is not.
 */
const SINGLE_CAP = 16;
const SIM_CACHE_LIMIT = 2_000_000;
/** A part with no partner on one side only (a missing middle name, an extra patronymic) costs this much. */
const EXTRA_PART = 0.03;
const EXTRA_PART_CAP = 0.09;
/** Each pair of parts that differ (one unaligned on both sides) costs this much. */
const DIFFERING_PART = 0.15;
/**
 * A part of the traveller's family name that aligns with nothing while the listed name has
 * nothing left to set against it costs this much: unlike a missing middle name it is the
 * part that tells namesakes apart (Hashimi Abdul Rahman and Sultani Abdul Rahman are both
 * "Abdul Rahman"), so the match rests on the given names alone. It does not rule the match
 * out, since a list often gives a person's names without the family name a passport prints.
 */
const UNALIGNED_FAMILY_PART = 0.1;

/**
 * Builds the name index of one or more lists: every listed name (and alias) is normalised once,
 * its parts interned, and each pair of its parts filed under their phonetic (Double Metaphone)
 * and prefix keys, so that a query meets only names sharing two keyed parts with it (one for
 * one-part names).
 */
export function buildWatchlistIndex(lists: Watchlist | readonly Watchlist[], options: WatchlistIndexOptions = {}): WatchlistIndex {
  const all = Array.isArray(lists) ? (lists as readonly Watchlist[]) : [lists as Watchlist];
  const { threshold = 0.9, lists: perList = {}, kinds = ['individual'], scripts = ['Cyrl'], documentLists = [], maxMatches = 10 } = options;
  const qualifierOptions: QualifierOptions = { ...DEFAULT_QUALIFIERS };
  for (const k of Object.keys(DEFAULT_QUALIFIERS) as (keyof QualifierOptions)[]) {
    const v = options[k];
    if (v !== undefined) qualifierOptions[k] = v;
  }
  if (!(threshold > 0 && threshold <= 1)) throw new ConfigError(`watchlist threshold must be in (0, 1], got ${threshold}`);
  for (const [id, o] of Object.entries(perList)) {
    if (o.threshold !== undefined && !(o.threshold > 0 && o.threshold <= 1)) throw new ConfigError(`threshold of watchlist ${id} must be in (0, 1], got ${o.threshold}`);
  }

  const vocabulary = new Vocabulary();
  const entries: { list: string; entry: WatchlistEntry; threshold: number }[] = [];
  const records: NameRecord[] = [];
  const blocks = new Map<string, number[]>();
  const file = (key: string, record: number): void => {
    const postings = blocks.get(key);
    if (postings === undefined) blocks.set(key, [record]);
    else if (postings[postings.length - 1] !== record) postings.push(record);
  };

  for (const list of all) {
    const listThreshold = perList[list.list]?.threshold ?? threshold;
    for (const entry of list.entries) {
      if (!kinds.includes(entry.kind)) continue;
      const e = entries.push({ list: list.list, entry, threshold: listThreshold }) - 1;
      const seen = new Set<string>();
      for (const name of entry.names) {
        if (name.script !== undefined && !scripts.includes(name.script)) continue;
        const n = normaliseName(name.full);
        const signature = n.keys.join(' ');
        if (n.keys.length === 0 || seen.has(signature)) continue;
        seen.add(signature);
        const tokens = Int32Array.from(n.keys, (k) => vocabulary.intern(k));
        const r = records.push({ entry: e, name, parts: n.from.map((i) => n.parts[i]!), tokens, keys: n.keys, heads: hasHead(n.keys) }) - 1;
        for (const key of blockKeys(tokens, vocabulary)) file(key, r);
        // Each part on its own too: a query whose other parts are misspelt beyond their keys
        // still meets this name through a rare part (see SINGLE_CAP).
        if (tokens.length > 1) for (const t of tokens) for (const key of vocabulary.keys(t)) file(key, r);
      }
    }
  }

  // Packed once built: iterating typed arrays is cheaper than arrays of boxed numbers.
  const packed = new Map<string, Int32Array>();
  for (const [key, postings] of blocks) packed.set(key, Int32Array.from(postings));
  blocks.clear();

  // Per-entry facts the posting loop reads from typed arrays, so that a candidate ruled out by
  // its date of birth costs no pointer chasing into entry objects.
  const recordEntry = Int32Array.from(records, (r) => r.entry);
  const recordParts = Uint8Array.from(records, (r) => Math.min(255, r.tokens.length));
  const dobLo = new Int16Array(entries.length);
  const dobHi = new Int16Array(entries.length);
  const entryThreshold = Float64Array.from(entries, (e) => e.threshold);
  entries.forEach((e, i) => {
    for (const d of e.entry.datesOfBirth) {
      const from = Number(d.slice(0, 4));
      const to = d.includes('..') ? Number(d.slice(6, 10)) : from;
      if (dobLo[i] === 0 || from < dobLo[i]!) dobLo[i] = from;
      if (to > dobHi[i]!) dobHi[i] = to;
    }
  });
  // The best score a candidate born further than the tolerance from every listed date can reach.
  const farBest = 1 - qualifierOptions.dobMismatch + qualifierOptions.nationalityMatch;
  const tolerance = qualifierOptions.dobToleranceYears;

  vocabulary.freeze();
  // Built on first use: a caller that checks documents elsewhere (the rule set) never pays for it.
  let documents: DocumentIndex | undefined;
  const recordStamp = new Uint32Array(records.length);
  const entryStamp = new Uint32Array(entries.length);
  const entryBest = new Array<Match | undefined>(entries.length);
  let stamp = 0;
  const queryCache = new Map<string, PreparedName>();
  const unionSeen = new Uint32Array(records.length);
  let unionStamp = 0;
  let unionBuffer: Int32Array = new Int32Array(256);

  const prepare = (familyName: string, givenNames: string): PreparedName => {
    const text = `${familyName} ${givenNames}`;
    // Keyed by the split as well: which parts are the family name changes the score.
    const cacheKey = `${familyName}\u0000${givenNames}`;
    let q = queryCache.get(cacheKey);
    if (q === undefined) {
      // Parts of travellers' names are interned too; a live index forgets them now and then
      // so that its memory stays bounded by the lists, not by the traffic.
      if (vocabulary.queryParts() >= QUERY_VOCABULARY_LIMIT) {
        vocabulary.forgetQueryParts();
        queryCache.clear();
      }
      const name = normaliseName(text);
      const tokens = Int32Array.from(name.keys, (k) => vocabulary.intern(k));
      const familyParts = foldName(familyName).length;
      let family = 0;
      while (family < name.from.length && name.from[family]! < familyParts) family++;
      // The postings are resolved once per distinct name: the index does not change after it
      // is built, and a name seen again (most are) then costs no hash lookups at all.
      const postings: Int32Array[] = [];
      for (const key of blockKeys(tokens, vocabulary)) {
        const p = packed.get(key);
        if (p !== undefined) postings.push(p);
      }
      if (tokens.length > 1) {
        for (const key of new Set(Array.from(tokens, (t) => vocabulary.keys(t)).flat())) {
          const p = packed.get(key);
          if (p !== undefined && p.length <= SINGLE_CAP) postings.push(p);
        }
      }
      // Their union, each name once, with the entries' birth-year bounds beside it, so that the
      // screening loop reads three small arrays and touches a name only when it may match.
      unionStamp = (unionStamp + 1) >>> 0;
      if (unionStamp === 0) {
        unionSeen.fill(0);
        unionStamp = 1;
      }
      let n = 0;
      for (const p of postings) {
        for (let i = 0; i < p.length; i++) {
          const r = p[i]!;
          if (unionSeen[r] === unionStamp || (tokens.length === 1 && recordParts[r] !== 1)) continue;
          unionSeen[r] = unionStamp;
          if (n === unionBuffer.length) unionBuffer = growInt32(unionBuffer);
          unionBuffer[n++] = r;
        }
      }
      const candidates = unionBuffer.slice(0, n);
      const lo = new Int16Array(n);
      const hi = new Int16Array(n);
      for (let i = 0; i < n; i++) {
        const en = recordEntry[candidates[i]!]!;
        lo[i] = dobLo[en]!;
        hi[i] = dobHi[en]!;
      }
      q = { name, tokens, family, heads: hasHead(name.keys), candidates, lo, hi };
      if (queryCache.size >= QUERY_CACHE_LIMIT) queryCache.clear();
      queryCache.set(cacheKey, q);
    }
    return q;
  };

  const score = (query: ScreenQuery, from: MatchExplanation['from'], q: PreparedName, out: Match[], all: boolean): void => {
    if (q.tokens.length > MAX_PARTS) return;
    vocabulary.beginQuery(q.tokens);
    const dob = query.dateOfBirth;
    const year = !all && dob !== undefined && dob.length >= 4 ? Number(dob.slice(0, 4)) || 0 : 0;
    const { candidates, lo, hi } = q;
    for (let c = 0; c < candidates.length; c++) {
      const r = candidates[c]!;
      if (recordStamp[r] === stamp) continue;
      recordStamp[r] = stamp;
      if (year !== 0) {
        const l = lo[c]!;
        if (l !== 0 && (year < l - tolerance || year > hi[c]! + tolerance) && farBest < entryThreshold[recordEntry[r]!]!) continue;
      }
      const record = records[r]!;
      const m = scoreRecord(query, from, q, record, entries[record.entry]!, vocabulary, qualifierOptions, all);
      if (m === undefined) continue;
      const e = record.entry;
      if (entryStamp[e] !== stamp) {
        entryStamp[e] = stamp;
        entryBest[e] = m;
        out.push(m);
      } else if (m.score > entryBest[e]!.score) {
        out[out.indexOf(entryBest[e]!)] = m;
        entryBest[e] = m;
      }
    }
  };

  const run = (query: ScreenQuery, all: boolean): Match[] => {
    stamp = (stamp + 1) >>> 0;
    if (stamp === 0) {
      recordStamp.fill(0);
      entryStamp.fill(0);
      stamp = 1;
    }
    const out: Match[] = [];
    const names = prepare(query.familyName, query.givenNames);
    score(query, 'names', names, out, all);
    if (query.mrzNames !== undefined) {
      const mrz = mrzNameText(query.mrzNames);
      const fromMrz = prepare(mrz.familyName, mrz.givenNames);
      // The MRZ usually spells the names as sent: nothing new to screen.
      if (!sameTokens(fromMrz.tokens, names.tokens) || fromMrz.family !== names.family) score(query, 'mrz', fromMrz, out, all);
    }
    out.sort((a, b) => b.score - a.score || (a.entryId < b.entryId ? -1 : 1));
    if (out.length > maxMatches && !all) out.length = maxMatches;
    return out;
  };

  return {
    size: entries.length,
    screen: (query) => run(query, false),
    candidates: (query) => run(query, true),
    checkDocument: (number, issuingState) => (documents ??= new DocumentIndex(all, documentLists)).check(number, issuingState),
  };
}

const MAX_PARTS = 16;
const simScratch = new Float64Array(MAX_PARTS * MAX_PARTS);
const usedQ = new Uint8Array(MAX_PARTS);
const usedE = new Uint8Array(MAX_PARTS);

interface QuickAlignment {
  pairs: number;
  /** Length-weighted mean similarity of the aligned pairs (0 when none). */
  mean: number;
  /** Query family parts (the first `family` parts) left unaligned. */
  unalignedFamily: number;
  /** Whether a pair is a compound name's head alone against a longer part (see `loneHead`). */
  loneHead: boolean;
}
const quick: QuickAlignment = { pairs: 0, mean: 0, unalignedFamily: 0, loneHead: false };

/**
 * Greedy alignment on the cached part similarities, without joins and without allocating.
 * Settles the common cases (every part aligned; too few parts alike to ever match); only
 * names with parts left over go on to `alignParts`, which also tries joined parts.
 */
function quickAlign(qt: Int32Array, et: Int32Array, qKeys: readonly string[], eKeys: readonly string[], family: number, heads: boolean, vocabulary: Vocabulary): QuickAlignment {
  const nq = qt.length;
  const ne = et.length;
  for (let i = 0; i < nq; i++) {
    usedQ[i] = 0;
    for (let j = 0; j < ne; j++) simScratch[i * MAX_PARTS + j] = vocabulary.querySimilarity(i, et[j]!);
  }
  for (let j = 0; j < ne; j++) usedE[j] = 0;
  let pairs = 0;
  let weighted = 0;
  let weights = 0;
  let lone = false;
  for (;;) {
    let best = -1;
    let bi = -1;
    let bj = -1;
    for (let i = 0; i < nq; i++) {
      if (usedQ[i] === 1) continue;
      for (let j = 0; j < ne; j++) {
        const s = simScratch[i * MAX_PARTS + j]!;
        if (usedE[j] === 0 && s >= PART_FLOOR && s > best) {
          best = s;
          bi = i;
          bj = j;
        }
      }
    }
    if (bi < 0) break;
    usedQ[bi] = 1;
    usedE[bj] = 1;
    pairs++;
    if (heads && qt[bi] !== et[bj] && loneHead(qKeys[bi]!, eKeys[bj]!)) lone = true;
    const w = Math.max(qKeys[bi]!.length, eKeys[bj]!.length);
    weighted += best * w;
    weights += w;
  }
  quick.pairs = pairs;
  quick.mean = weights === 0 ? 0 : weighted / weights;
  let unalignedFamily = 0;
  for (let i = 0; i < family; i++) if (usedQ[i] === 0) unalignedFamily++;
  quick.unalignedFamily = unalignedFamily;
  quick.loneHead = lone;
  return quick;
}

/**
 * @param uq query parts left unaligned, `uf` of them of the family name;
 * @param ue listed parts left unaligned. A leftover family part is set against a leftover
 * listed part first (a differing part either way); only one with nothing to set against
 * costs `UNALIGNED_FAMILY_PART`.
 */
function missingPartsEffect(uq: number, ue: number, uf: number): number {
  const contradictions = Math.min(uq, ue);
  const family = Math.max(0, uf - ue);
  const extra = Math.max(uq, ue) - contradictions - family;
  return -(contradictions * DIFFERING_PART + family * UNALIGNED_FAMILY_PART + Math.min(EXTRA_PART_CAP, extra * EXTRA_PART));
}

function scoreRecord(
  query: ScreenQuery,
  from: MatchExplanation['from'],
  q: PreparedName,
  record: NameRecord,
  e: { list: string; entry: WatchlistEntry; threshold: number },
  vocabulary: Vocabulary,
  o: QualifierOptions,
  all: boolean,
): Match | undefined {
  const qt = q.tokens;
  const et = record.tokens;
  const qKeys = q.name.keys;
  const eKeys = record.keys;
  if (qt.length > MAX_PARTS || et.length > MAX_PARTS) return undefined;
  // A one-part listed name (a mononym) is met by a longer query only as its parts written apart.
  if (et.length === 1 && qt.length > 1 && !joinable(q.name.keys.reduce((n, k) => n + k.length, 0), eKeys[0]!.length)) return undefined;
  const required = Math.min(2, qKeys.length, eKeys.length);
  const lowAlias = record.name.quality === 'low' ? o.lowQualityAlias : 0;
  const entry = e.entry;
  // Qualifiers first: they cost a few comparisons, and a date of birth far from the listed
  // one rules out most namesakes before their names are aligned.
  let qualifierSum = -lowAlias + sexValue(entry, query.sex, o) + nationalityValue(entry, query.nationality, o);
  if (query.dateOfBirth !== undefined) qualifierSum += dateOfBirthValue(entry.datesOfBirth, query.dateOfBirth, o);
  if (!all && 1 + qualifierSum < e.threshold) return undefined;
  const qa = quickAlign(qt, et, qKeys, eKeys, q.family, q.heads || record.heads, vocabulary);
  // Joins lengthen aligned pairs but never add one: too few pairs now is too few for good.
  if (qa.pairs > 0 && qa.pairs < required) return undefined;
  const leftover = qa.pairs < qt.length || qa.pairs < et.length;
  if (!all && !leftover && qa.mean + qualifierSum < e.threshold) return undefined;
  // Parts left over may still be one part written as two, and a head alone (Abdul against
  // Abdullah) may join its neighbour or else not align: only then is the full alignment needed.
  const a = (leftover && (qa.pairs === 0 || anyJoinable(qKeys, eKeys))) || qa.loneHead ? alignParts(qKeys, eKeys, (i, j) => vocabulary.querySimilarity(i, et[j]!), jaroWinkler) : undefined;
  const pairs = a === undefined ? qa.pairs : a.pairs.length;
  // One aligned part is enough only when one of the names has only one part.
  if (pairs < required || pairs === 0) return undefined;
  const nameScore = a === undefined ? qa.mean : a.mean;
  const uq = a === undefined ? qt.length - qa.pairs : a.unmatchedQuery.length;
  const ue = a === undefined ? et.length - qa.pairs : a.unmatchedEntry.length;
  const uf = a === undefined ? qa.unalignedFamily : countBelow(a.unmatchedQuery, q.family);
  let total = nameScore + qualifierSum + (uq + ue > 0 ? missingPartsEffect(uq, ue, uf) : 0);
  total = Math.round(Math.min(1, Math.max(0, total)) * 1000) / 1000;
  if (!all && total < e.threshold) return undefined;

  // A match (or a candidate asked for): now build its explanation.
  const qualifiers: QualifierEffect[] = [];
  if (uq + ue > 0) {
    const contradictions = Math.min(uq, ue);
    const family = Math.max(0, uf - ue);
    const familyDetail = family > 0 ? `, ${family} of them the traveller's family name` : '';
    qualifiers.push({ qualifier: 'missingParts', effect: missingPartsEffect(uq, ue, uf), detail: `${contradictions} differing part(s), ${Math.max(uq, ue) - contradictions} part(s) on one side only${familyDetail}` });
  }
  if (lowAlias > 0) qualifiers.push({ qualifier: 'aliasQuality', effect: -lowAlias, detail: 'low-quality alias' });
  const d = query.dateOfBirth === undefined ? undefined : dateOfBirthEffect(entry.datesOfBirth, query.dateOfBirth, o);
  if (d !== undefined) qualifiers.push(d);
  const s = sexEffect(entry, query.sex, o);
  if (s !== undefined) qualifiers.push(s);
  const n = nationalityEffect(entry, query.nationality, o);
  if (n !== undefined) qualifiers.push(n);
  const al = a ?? alignParts(qKeys, eKeys, (i, j) => vocabulary.querySimilarity(i, et[j]!), jaroWinkler);
  const qParts = q.name.from.map((i) => q.name.parts[i]!);
  const ePartsOf = (idx: number[]): string => idx.map((i) => record.parts[i]!).join('+');
  return {
    list: e.list,
    entryId: entry.id,
    ...(entry.reference === undefined ? {} : { reference: entry.reference }),
    kind: entry.kind,
    name: entry.names[0]!.full,
    score: total,
    threshold: e.threshold,
    explanation: {
      from,
      listedName: record.name.full,
      quality: record.name.quality,
      parts: al.pairs.map((p) => ({ query: p.query.map((i) => qParts[i]!).join('+'), entry: ePartsOf(p.entry), similarity: Math.round(p.similarity * 1000) / 1000 })),
      unmatchedQuery: al.unmatchedQuery.map((i) => qParts[i]!),
      unmatchedEntry: al.unmatchedEntry.map((i) => record.parts[i]!),
      nameScore: Math.round(nameScore * 1000) / 1000,
      qualifiers,
    },
  };
}

function hasHead(keys: readonly string[]): boolean {
  return keys.some((k) => COMPOUND_HEADS.has(k));
}

function countBelow(indexes: readonly number[], limit: number): number {
  let n = 0;
  for (const i of indexes) if (i < limit) n++;
  return n;
}

function growInt32(a: Int32Array): Int32Array {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}

function sameTokens(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Blocking keys of a name: for each pair of distinct parts, every combination of their
 * part keys; a one-part name is filed under its part keys alone.
 */
function blockKeys(tokens: Int32Array, vocabulary: Vocabulary): string[] {
  const out: string[] = [];
  if (tokens.length === 1) {
    for (const k of vocabulary.keys(tokens[0]!)) out.push(k);
    return out;
  }
  for (let i = 0; i < tokens.length; i++) {
    for (let j = i + 1; j < tokens.length; j++) {
      if (tokens[i] === tokens[j]) continue;
      for (const a of vocabulary.keys(tokens[i]!)) {
        for (const b of vocabulary.keys(tokens[j]!)) out.push(a < b ? `${a}|${b}` : `${b}|${a}`);
      }
    }
  }
  return out;
}

/** Interned part skeletons with their blocking keys and a cache of pairwise similarities. */
class Vocabulary {
  private readonly ids = new Map<string, number>();
  private readonly texts: string[] = [];
  private readonly keyLists: string[][] = [];
  private sims = new Map<number, number>();

  private listed = 0;

  /** Marks every part so far as a listed part, kept for good. */
  freeze(): void {
    this.listed = this.texts.length;
  }

  /** Parts interned from queries since `freeze`. */
  queryParts(): number {
    return this.texts.length - this.listed;
  }

  /** Drops the parts interned from queries and every cached similarity. */
  forgetQueryParts(): void {
    for (let id = this.listed; id < this.texts.length; id++) this.ids.delete(this.texts[id]!);
    this.texts.length = this.listed;
    this.keyLists.length = this.listed;
    this.sims = new Map();
    this.rowStamp.fill(0);
  }

  intern(text: string): number {
    let id = this.ids.get(text);
    if (id === undefined) {
      id = this.texts.push(text) - 1;
      this.ids.set(text, id);
      this.keyLists.push(partKeys(text));
    }
    return id;
  }

  text(id: number): string {
    return this.texts[id]!;
  }

  keys(id: number): string[] {
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

  /** Similarity of part `i` of the current query to listed part `e`. */
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
    let s = this.sims.get(key);
    if (s === undefined) {
      s = partSimilarity(this.texts[a]!, this.texts[b]!);
      if (this.sims.size >= SIM_CACHE_LIMIT) this.sims = new Map();
      this.sims.set(key, s);
    }
    return s;
  }
}

/** The first three letters of a part skeleton and its Double Metaphone codes (primary and alternate). */
function partKeys(part: string): string[] {
  const [primary, alternate] = doubleMetaphone(part);
  const keys = [`p${part.slice(0, 3)}`];
  // Codes of one or two sounds (AN, JN) are shared by too many parts to narrow anything.
  if (primary.length >= 3) keys.push(`m${primary}`);
  if (alternate !== primary && alternate.length >= 3) keys.push(`m${alternate}`);
  return keys;
}
