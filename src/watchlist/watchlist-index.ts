import jaroWinkler from 'talisman/metrics/jaro-winkler.js';
import doubleMetaphone from 'talisman/phonetics/double-metaphone.js';
import { ConfigError } from '../errors.ts';
import { alignParts } from './align-parts.ts';
import { type DocumentHit, type DocumentList, DocumentIndex } from './document-index.ts';
import type { ListName, NameQuality, Watchlist, WatchlistEntry } from './entry.ts';
import { mrzNameText, type NormalisedName, normaliseName } from './normalise-name.ts';
import { DEFAULT_QUALIFIERS, type QualifierEffect, type QualifierOptions, dateOfBirthEffect, nationalityEffect, sexEffect } from './qualifiers.ts';

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
}

const QUERY_CACHE_LIMIT = 200_000;
const SIM_CACHE_LIMIT = 2_000_000;
/** Parts of a name beyond the aligned ones cost this much each (a missing middle name, an extra patronymic). */
const UNMATCHED_PART = 0.04;
const UNMATCHED_CAP = 0.12;

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
        const r = records.push({ entry: e, name, parts: n.from.map((i) => n.parts[i]!), tokens }) - 1;
        for (const key of blockKeys(tokens, vocabulary)) file(key, r);
      }
    }
  }

  const documents = new DocumentIndex(all, documentLists);
  const recordStamp = new Uint32Array(records.length);
  const entryStamp = new Uint32Array(entries.length);
  const entryBest = new Array<Match | undefined>(entries.length);
  let stamp = 0;
  const queryCache = new Map<string, { name: NormalisedName; tokens: Int32Array }>();

  const prepare = (familyName: string, givenNames: string): { name: NormalisedName; tokens: Int32Array } => {
    const text = `${familyName} ${givenNames}`;
    let q = queryCache.get(text);
    if (q === undefined) {
      const name = normaliseName(text);
      q = { name, tokens: Int32Array.from(name.keys, (k) => vocabulary.intern(k)) };
      if (queryCache.size >= QUERY_CACHE_LIMIT) queryCache.clear();
      queryCache.set(text, q);
    }
    return q;
  };

  const score = (query: ScreenQuery, from: MatchExplanation['from'], q: { name: NormalisedName; tokens: Int32Array }, out: Match[], all: boolean): void => {
    const qt = q.tokens;
    for (const key of blockKeys(qt, vocabulary)) {
      const postings = blocks.get(key);
      if (postings === undefined) continue;
      for (let p = 0; p < postings.length; p++) {
        const r = postings[p]!;
        if (recordStamp[r] === stamp) continue;
        recordStamp[r] = stamp;
        const record = records[r]!;
        const m = scoreRecord(query, from, q, record, entries[record.entry]!, vocabulary, qualifierOptions);
        if (m === undefined || (!all && m.score < m.threshold)) continue;
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
    score(query, 'names', prepare(query.familyName, query.givenNames), out, all);
    if (query.mrzNames !== undefined) {
      const mrz = mrzNameText(query.mrzNames);
      score(query, 'mrz', prepare(mrz.familyName, mrz.givenNames), out, all);
    }
    out.sort((a, b) => b.score - a.score || (a.entryId < b.entryId ? -1 : 1));
    if (out.length > maxMatches && !all) out.length = maxMatches;
    return out;
  };

  return {
    size: entries.length,
    screen: (query) => run(query, false),
    candidates: (query) => run(query, true),
    checkDocument: (number, issuingState) => documents.check(number, issuingState),
  };
}

function scoreRecord(
  query: ScreenQuery,
  from: MatchExplanation['from'],
  q: { name: NormalisedName; tokens: Int32Array },
  record: NameRecord,
  e: { list: string; entry: WatchlistEntry; threshold: number },
  vocabulary: Vocabulary,
  o: QualifierOptions,
): Match | undefined {
  const qt = q.tokens;
  const et = record.tokens;
  const qKeys = q.name.keys;
  const eKeys: string[] = Array.from(et, (t) => vocabulary.text(t));
  const a = alignParts(qKeys, eKeys, (i, j) => vocabulary.similarity(qt[i]!, et[j]!), jaroWinkler);
  // One aligned part is enough only when one of the names has only one part.
  if (a.pairs.length < Math.min(2, qKeys.length, eKeys.length)) return undefined;
  const qualifiers: QualifierEffect[] = [];
  const unmatched = a.unmatchedQuery.length + a.unmatchedEntry.length;
  if (unmatched > 0) qualifiers.push({ qualifier: 'missingParts', effect: -Math.min(UNMATCHED_CAP, unmatched * UNMATCHED_PART), detail: `${a.unmatchedQuery.length} query and ${a.unmatchedEntry.length} listed part(s) unaligned` });
  if (record.name.quality === 'low') qualifiers.push({ qualifier: 'aliasQuality', effect: -o.lowQualityAlias, detail: 'low-quality alias' });
  const entry = e.entry;
  if (query.dateOfBirth !== undefined) {
    const d = dateOfBirthEffect(entry.datesOfBirth, query.dateOfBirth, o);
    if (d !== undefined) qualifiers.push(d);
  }
  const s = sexEffect(entry, query.sex, o);
  if (s !== undefined) qualifiers.push(s);
  const n = nationalityEffect(entry, query.nationality, o);
  if (n !== undefined) qualifiers.push(n);
  let total = a.mean;
  for (const x of qualifiers) total += x.effect;
  total = Math.min(1, Math.max(0, total));
  const qParts = q.name.from.map((i) => q.name.parts[i]!);
  const ePartsOf = (idx: number[]): string => idx.map((i) => record.parts[i]!).join('+');
  return {
    list: e.list,
    entryId: entry.id,
    ...(entry.reference === undefined ? {} : { reference: entry.reference }),
    kind: entry.kind,
    name: entry.names[0]!.full,
    score: Math.round(total * 1000) / 1000,
    threshold: e.threshold,
    explanation: {
      from,
      listedName: record.name.full,
      quality: record.name.quality,
      parts: a.pairs.map((p) => ({ query: p.query.map((i) => qParts[i]!).join('+'), entry: ePartsOf(p.entry), similarity: Math.round(p.similarity * 1000) / 1000 })),
      unmatchedQuery: a.unmatchedQuery.map((i) => qParts[i]!),
      unmatchedEntry: a.unmatchedEntry.map((i) => record.parts[i]!),
      nameScore: Math.round(a.mean * 1000) / 1000,
      qualifiers,
    },
  };
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

  similarity(a: number, b: number): number {
    if (a === b) return 1;
    // Cantor-free pairing: ids stay below 2^26 in practice, so a * 2^26 + b is exact in a double.
    const key = a < b ? a * 67_108_864 + b : b * 67_108_864 + a;
    let s = this.sims.get(key);
    if (s === undefined) {
      s = jaroWinkler(this.texts[a]!, this.texts[b]!);
      if (this.sims.size >= SIM_CACHE_LIMIT) this.sims = new Map();
      this.sims.set(key, s);
    }
    return s;
  }
}

/** Double Metaphone codes (primary and alternate) and the first three letters of a part skeleton. */
function partKeys(part: string): string[] {
  const [primary, alternate] = doubleMetaphone(part);
  const keys = [`m${primary}`, `p${part.slice(0, 3)}`];
  if (alternate !== primary) keys.push(`m${alternate}`);
  return keys;
}
