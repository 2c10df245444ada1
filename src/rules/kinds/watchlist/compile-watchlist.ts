import type { Crossing } from '../../../model/crossing.ts';
import { type DocumentHit, DocumentIndex } from '../../../watchlist/document-index.ts';
import type { Watchlist } from '../../../watchlist/entry.ts';
import { mrzNameField, mrzNameLine } from '../../../watchlist/normalise-name.ts';
import type { Match, ScreenQuery, WatchlistIndex } from '../../../watchlist/watchlist-index.ts';
import type { CompiledCondition, Evidence, Scope } from '../../../state/condition.ts';
import type { WatchlistRuleDef } from './watchlist-schema.ts';

/**
 * The screening of one rule set's watchlist rules: one index over every list, and the last
 * event's result remembered, so that several watchlist rules (one per list, say) screen an
 * event once.
 */
export interface WatchlistScreening {
  readonly index: WatchlistIndex;
  /** Ids of the loaded lists. */
  readonly lists: ReadonlySet<string>;
  names(scope: Scope): readonly Match[];
  documents(scope: Scope): readonly DocumentHit[];
}

const NO_MATCHES: readonly Match[] = [];
const NO_HITS: readonly DocumentHit[] = [];

/** What a crossing's traveller is screened as: their names, the MRZ name field, and the qualifiers. */
export function crossingQuery(event: Crossing): ScreenQuery {
  const { traveller, document } = event;
  const mrz = document.mrz ? mrzNameField(document.mrz) : undefined;
  // Two literals, not a spread of a conditional object: one object built, of one shape each.
  const { familyName, givenNames, dateOfBirth, sex, nationality } = traveller;
  return mrz === undefined ? { familyName, givenNames, dateOfBirth, sex, nationality } : { familyName, givenNames, dateOfBirth, sex, nationality, mrzNames: mrz };
}

/**
 * Screening results kept per travel document, with everything the score depends on (names,
 * MRZ name line, date of birth, sex, nationality) compared before a result is reused, so that
 * a person crossing again costs one lookup and a few string comparisons. Cleared when full;
 * about 300 bytes per document.
 */
const RESULT_CACHE_LIMIT = 200_000;

interface Screened {
  issuingState: string;
  familyName: string;
  givenNames: string;
  dateOfBirth: string;
  sex: string;
  nationality: string;
  /** The MRZ line that holds the name field, or undefined without an MRZ. */
  mrzLine: string | undefined;
  result: readonly Match[];
}

/** Screening over `index` (the lists names rules read) and the documents of every list in `files`. */
export function watchlistScreening(index: WatchlistIndex, lists: ReadonlySet<string>, files: readonly Watchlist[]): WatchlistScreening {
  const documentIndex = new DocumentIndex(files, []);
  const results = new Map<string, Screened>();
  let namesScope: Scope | undefined;
  let namesResult = NO_MATCHES;
  let documentsScope: Scope | undefined;
  let documentsResult = NO_HITS;
  return {
    index,
    lists,
    names(scope) {
      if (scope !== namesScope) {
        const event = scope.event as Crossing;
        const { traveller: t, document: d } = event;
        const mrzLine = d.mrz === undefined ? undefined : mrzNameLine(d.mrz);
        const known = results.get(d.number);
        if (
          known !== undefined &&
          known.issuingState === d.issuingState &&
          known.familyName === t.familyName &&
          known.givenNames === t.givenNames &&
          known.dateOfBirth === t.dateOfBirth &&
          known.sex === t.sex &&
          known.nationality === t.nationality &&
          known.mrzLine === mrzLine
        ) {
          namesResult = known.result;
        } else {
          const found = index.screen(crossingQuery(event));
          namesResult = found.length === 0 ? NO_MATCHES : found;
          if (results.size >= RESULT_CACHE_LIMIT) results.clear();
          results.set(d.number, { issuingState: d.issuingState, familyName: t.familyName, givenNames: t.givenNames, dateOfBirth: t.dateOfBirth, sex: t.sex, nationality: t.nationality, mrzLine, result: namesResult });
        }
        namesScope = scope;
      }
      return namesResult;
    },
    documents(scope) {
      if (scope !== documentsScope) {
        const { document } = scope.event as Crossing;
        const hits = documentIndex.check(document.number, document.issuingState);
        // Number and issuing state both: a listed number without a state (many are national
        // ID numbers of a few digits) would name whoever holds that number anywhere.
        documentsResult = hits.length === 0 ? NO_HITS : hits.filter((h) => h.entryId !== undefined && h.stateMatched);
        documentsScope = scope;
      }
      return documentsResult;
    },
  };
}

const round = (n: number): number => Math.round(n * 1000) / 1000;

/** What a name match's evidence holds (`op: "watchlist"`); the console reads the same shape (`wire.js`). */
export interface NameMatchActual {
  list: string;
  /** The primary listed name with the list's reference and the entry id. */
  entry: string;
  entryId: string;
  reference?: string;
  score: number;
  listedName: string;
  quality: string;
  from: 'names' | 'mrz';
  nameScore: number;
  /** Each aligned pair of parts, with the variant rule that aligned it when not spelt the same. */
  alignments: { query: string; listed: string; similarity: number; rule?: string }[];
  /** The script the traveller's names were read from, when not English-style Latin. */
  script?: string;
  unmatchedQuery: string[];
  unmatchedListed: string[];
  qualifiers: { qualifier: string; effect: number; detail: string }[];
}

/** A name match as alert evidence: the entry, the score against the threshold, the aligned parts and each qualifier's effect. */
export function nameMatchEvidence(m: Match, threshold: number, below?: number): Evidence {
  const x = m.explanation;
  const actual: NameMatchActual = {
    list: m.list,
    entry: m.reference === undefined ? `${m.name} (${m.entryId})` : `${m.name} (${m.reference}, ${m.entryId})`,
    entryId: m.entryId,
    ...(m.reference !== undefined && { reference: m.reference }),
    score: round(m.score),
    listedName: x.listedName,
    quality: x.quality,
    from: x.from,
    nameScore: round(x.nameScore),
    alignments: x.parts.map((p) => ({ query: p.query, listed: p.entry, similarity: round(p.similarity), ...(p.rule !== undefined && { rule: p.rule }) })),
    ...(x.script !== undefined && { script: x.script }),
    unmatchedQuery: x.unmatchedQuery,
    unmatchedListed: x.unmatchedEntry,
    qualifiers: x.qualifiers.map((q) => ({ qualifier: q.qualifier, effect: round(q.effect), detail: q.detail })),
  };
  return {
    field: x.from === 'mrz' ? 'document.mrz (name field)' : 'traveller.familyName, traveller.givenNames',
    op: 'watchlist',
    expected: below === undefined ? { atLeast: threshold } : { atLeast: threshold, below },
    actual,
  };
}

/** A listed person's travel document as alert evidence. */
export function documentHitEvidence(h: DocumentHit): Evidence {
  return {
    field: 'document.number',
    op: 'watchlist-document',
    expected: h.issuingState === undefined ? { number: h.number } : { number: h.number, issuingState: h.issuingState },
    actual: { list: h.list, entryId: h.entryId, number: h.number, stateMatched: h.stateMatched },
  };
}

/**
 * A watchlist rule's condition: its own CEL condition (if any), then a match on one of its
 * lists. `test` allocates only when the event is screened for the first time; `explain`
 * gives the matches as evidence, or, for a rule that did not fire, the best candidate and
 * why it fell short.
 */
export function compileWatchlistCondition(def: WatchlistRuleDef, before: CompiledCondition | undefined, screening: WatchlistScreening): CompiledCondition {
  const lists = def.lists === undefined ? undefined : new Set(def.lists);
  const inLists = (list: string): boolean => lists === undefined || lists.has(list);
  const { threshold } = def;
  const below = def.below ?? Number.POSITIVE_INFINITY;
  // A weaker tier stays quiet on a crossing the stronger tier takes (any entry at `below` or more).
  const strongerTook = (matches: readonly Match[]): boolean => below !== Number.POSITIVE_INFINITY && matches.some((m) => m.score >= below && inLists(m.list));
  const nameMatches = (scope: Scope): Match[] => {
    const all = screening.names(scope);
    return strongerTook(all) ? [] : all.filter((m) => m.score >= threshold && m.score < below && inLists(m.list));
  };

  if (def.match === 'documents') {
    const hits = (scope: Scope): DocumentHit[] => screening.documents(scope).filter((h) => inLists(h.list));
    return {
      test: (scope) => (before === undefined || before.test(scope)) && screening.documents(scope).some((h) => inLists(h.list)),
      explain(scope, out) {
        if (before !== undefined && !before.explain(scope, out)) return false;
        const found = hits(scope);
        if (found.length === 0) {
          const { document } = scope.event as Crossing;
          out.push({ field: 'document.number', op: 'watchlist-document', expected: 'a document of a listed person', actual: `${document.issuingState} ${document.number}: not listed` });
          return false;
        }
        for (const h of found) out.push(documentHitEvidence(h));
        return true;
      },
    };
  }

  return {
    test(scope) {
      if (before !== undefined && !before.test(scope)) return false;
      const matches = screening.names(scope);
      let hit = false;
      for (let i = 0; i < matches.length; i++) {
        const m = matches[i]!;
        if (!inLists(m.list)) continue;
        if (m.score >= below) return false;
        if (m.score >= threshold) hit = true;
      }
      return hit;
    },
    explain(scope, out) {
      if (before !== undefined && !before.explain(scope, out)) return false;
      const matches = nameMatches(scope);
      if (matches.length > 0) {
        for (const m of matches) out.push(nameMatchEvidence(m, threshold, def.below));
        return true;
      }
      // Why not: the best-scoring candidate of the rule's lists, if any was compared at all.
      const best = screening.index.candidates(crossingQuery(scope.event as Crossing)).find((m) => inLists(m.list));
      if (best !== undefined) out.push(nameMatchEvidence(best, threshold, def.below));
      else out.push({ field: 'traveller.familyName, traveller.givenNames', op: 'watchlist', expected: { atLeast: threshold }, actual: 'no listed name shares enough of this name to be compared' });
      return false;
    },
  };
}

/** A name-match evidence entry in one line, for terminals (`rules explain`). */
export function formatNameMatch(e: Evidence): string | undefined {
  const a = e.actual as Partial<NameMatchActual> | string;
  if (typeof a !== 'object' || a === null || !Array.isArray(a.alignments) || !Array.isArray(a.qualifiers)) return undefined;
  const { atLeast: needs, below } = (e.expected ?? {}) as { atLeast?: number; below?: number };
  const verdict = (score: number | undefined): string =>
    score === undefined || needs === undefined ? '' : score < needs ? ` (below ${needs})` : below !== undefined && score >= below ? ` (${below} or more: the stronger indicator's)` : ` (at or above ${needs})`;
  const signed = (n: number): string => (n >= 0 ? `+${n}` : `−${-n}`);
  return [
    `${a.list}: ${a.entry} score ${a.score}${verdict(a.score)} from ${a.from === 'mrz' ? 'the MRZ name field' : 'the names'}`,
    `aligned ${a.alignments.map((p) => `${p.query}~${p.listed} ${p.similarity}`).join(', ') || 'nothing'}`,
    ...(a.unmatchedQuery?.length ? [`traveller only: ${a.unmatchedQuery.join(' ')}`] : []),
    ...(a.unmatchedListed?.length ? [`listed only: ${a.unmatchedListed.join(' ')}`] : []),
    ...(a.qualifiers.length > 0 ? [a.qualifiers.map((q) => `${q.qualifier} ${signed(q.effect)} (${q.detail})`).join(', ')] : []),
  ].join('; ');
}
