import { ConfigError } from '../errors.ts';
import { DocumentIndex } from './document-index.ts';
import type { Watchlist, WatchlistEntry } from './entry.ts';
import type { Match, MatchExplanation, NameRecord, PreparedName, ScreenQuery, WatchlistIndex, WatchlistIndexOptions } from './match.ts';
import { mrzNameText, normaliseName } from './normalise-name.ts';
import { QueryNames } from './query-names.ts';
import { DEFAULT_QUALIFIERS, type QualifierOptions, yearSlip } from './qualifiers.ts';
import { joinable } from './align-parts.ts';
import { bestNationalityAndSex, hasHead, maxQualifierGain, ROUNDING, scoreRecord } from './score-record.ts';
import { BlockIndex } from './block-index.ts';
import { MAX_PARTS, Vocabulary } from './vocabulary.ts';
import { blockFloat64s, blockInt32s } from './typed-blocks.ts';

export type { Match, ScreenQuery, WatchlistIndex, WatchlistIndexOptions } from './match.ts';

const QUERY_CACHE_LIMIT = 200_000;
const QUERY_VOCABULARY_LIMIT = 500_000;
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
        const tokens = Int32Array.from(n.forms, (f) => vocabulary.intern(f));
        records.push({ entry: e, name, parts: n.from.map((i) => n.parts[i]!), tokens, keys: n.keys, heads: hasHead(n.keys) });
      }
    }
  }

  vocabulary.freeze();
  const blocks = new BlockIndex(records.map((r) => r.tokens), vocabulary);

  // Per-entry facts the posting loop reads from typed arrays, so that a candidate ruled out by
  // its date of birth costs no pointer chasing into entry objects.
  const recordEntry = Int32Array.from(records, (r) => r.entry);
  const recordParts = Uint8Array.from(records, (r) => Math.min(255, r.tokens.length));
  // Letters of each listed name, its parts joined: a one-part query meets a longer name only
  // as that name written as one part (Aburusdan, Abu Rusdan).
  const recordLetters = Uint16Array.from(records, (r) => Math.min(65_535, r.keys.reduce((n, k) => n + k.length, 0)));
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
  // The best score a candidate born further than the tolerance from every listed date can
  // reach (and no slip of one): it is skipped only if that falls short by more than rounding.
  const farBest = 1 - qualifierOptions.dobMismatch + bestNationalityAndSex(qualifierOptions) + ROUNDING;
  const tolerance = qualifierOptions.dobToleranceYears;
  // A candidate whose names are already known to fall short by more than the best qualifiers
  // can add (most: no parts alike at all) is passed over before its record is read, as
  // `scoreRecord` would pass it over: the same comparison.
  const qualifierGain = maxQualifierGain(qualifierOptions);

  // Built on first use: a caller that checks documents elsewhere (the rule set) never pays for it.
  let documents: DocumentIndex | undefined;
  const recordStamp = new Uint32Array(records.length);
  const entryStamp = new Uint32Array(entries.length);
  const entryBest = new Array<Match | undefined>(entries.length);
  let stamp = 0;
  // By family name, then given names: no key text joined and hashed per crossing.
  let queryCache = new Map<string, Map<string, PreparedName>>();
  let cachedNames = 0;
  // The prepared name of each MRZ name field, so that a field seen again is not cut into
  // names again (three regular expressions) on every crossing; emptied with the query cache.
  let mrzCache = new Map<string, PreparedName>();
  const unionSeen = new Uint32Array(records.length);
  let unionStamp = 0;
  let unionBuffer: Int32Array = new Int32Array(256);
  const postings: Int32Array[] = [];
  const reader = new QueryNames(vocabulary);

  const prepare = (familyName: string, givenNames: string): PreparedName => {
    // Keyed by the split as well: which parts are the family name changes the score.
    let q = queryCache.get(familyName)?.get(givenNames);
    if (q === undefined) {
      // Parts of travellers' names are interned too; a live index forgets them now and then
      // so that its memory stays bounded by the lists, not by the traffic.
      if (vocabulary.queryParts() >= QUERY_VOCABULARY_LIMIT) {
        vocabulary.forgetQueryParts();
        reader.forgetTokens();
        queryCache = new Map();
        mrzCache = new Map();
        cachedNames = 0;
      }
      const { name, tokens, family } = reader.read(familyName, givenNames);
      // The postings are resolved once per distinct name: the index does not change after it
      // is built, and a name seen again (most are) then costs no hash lookups at all.
      const found = blocks.postings(tokens, vocabulary, postings);
      // Their union, each name once, with the entries' birth-year bounds beside it, so that the
      // screening loop reads three small arrays and touches a name only when it may match.
      unionStamp = (unionStamp + 1) >>> 0;
      if (unionStamp === 0) {
        unionSeen.fill(0);
        unionStamp = 1;
      }
      let n = 0;
      const single = tokens.length === 1 ? name.keys[0]!.length : 0;
      for (let k = 0; k < found; k++) {
        const p = postings[k]!;
        for (let i = 0; i < p.length; i++) {
          const r = p[i]!;
          if (unionSeen[r] === unionStamp || (single !== 0 && recordParts[r] !== 1 && !joinable(recordLetters[r]!, single))) continue;
          unionSeen[r] = unionStamp;
          if (n === unionBuffer.length) unionBuffer = growInt32(unionBuffer);
          unionBuffer[n++] = r;
        }
      }
      // Cut from shared blocks: most names have more candidates than V8 keeps on its heap.
      // Copied and filled by hand: `set` from a subarray and `fill` cost a view and a builtin
      // call each, more than the dozen elements a name has.
      const candidates = blockInt32s(n);
      const nameTotals = blockFloat64s(n);
      for (let c = 0; c < n; c++) {
        candidates[c] = unionBuffer[c]!;
        nameTotals[c] = Number.NaN;
      }
      q = { name, tokens, family, heads: hasHead(name.keys), candidates, nameTotals, explained: undefined };
      if (cachedNames >= QUERY_CACHE_LIMIT) {
        queryCache = new Map();
        mrzCache = new Map();
        cachedNames = 0;
      }
      let byGiven = queryCache.get(familyName);
      if (byGiven === undefined) queryCache.set(familyName, (byGiven = new Map()));
      byGiven.set(givenNames, q);
      cachedNames++;
    }
    return q;
  };

  const score = (query: ScreenQuery, from: MatchExplanation['from'], q: PreparedName, out: Match[], all: boolean): void => {
    if (q.tokens.length > MAX_PARTS) return;
    vocabulary.beginQuery(q.tokens);
    const dob = query.dateOfBirth;
    const year = !all && dob !== undefined && dob.length >= 4 ? birthYear(dob) : 0;
    const { candidates, nameTotals } = q;
    for (let c = 0; c < candidates.length; c++) {
      const r = candidates[c]!;
      if (recordStamp[r] === stamp) continue;
      recordStamp[r] = stamp;
      if (!all && nameTotals[c]! + qualifierGain < entryThreshold[recordEntry[r]!]! - ROUNDING) continue;
      if (year !== 0) {
        const en = recordEntry[r]!;
        const l = dobLo[en]!;
        if (l !== 0 && (year < l - tolerance || year > dobHi[en]! + tolerance) && farBest < entryThreshold[en]! && !yearSlip(year, l) && !yearSlip(year, dobHi[en]!)) continue;
      }
      const record = records[r]!;
      const m = scoreRecord(query, from, q, c, record, entries[record.entry]!, vocabulary, qualifierOptions, all);
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
      let fromMrz = mrzCache.get(query.mrzNames);
      if (fromMrz === undefined) {
        const mrz = mrzNameText(query.mrzNames);
        fromMrz = prepare(mrz.familyName, mrz.givenNames);
        if (mrzCache.size >= QUERY_CACHE_LIMIT) mrzCache = new Map();
        mrzCache.set(query.mrzNames, fromMrz);
      }
      // The MRZ usually spells the names as sent: nothing new to screen.
      if (!sameTokens(fromMrz.tokens, names.tokens) || fromMrz.family !== names.family) score(query, 'mrz', fromMrz, out, all);
    }
    if (out.length > 1) out.sort(byScore);
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


/** Best score first, then by entry id (a comparator made once, not a closure per screening). */
function byScore(a: Match, b: Match): number {
  return b.score - a.score || (a.entryId < b.entryId ? -1 : 1);
}

/** The year of a date of birth as `Number(dob.slice(0, 4)) || 0` reads it, four digits without a substring. */
function birthYear(dob: string): number {
  let year = 0;
  for (let i = 0; i < 4; i++) {
    const d = dob.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return Number(dob.slice(0, 4)) || 0;
    year = year * 10 + d;
  }
  return year;
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

