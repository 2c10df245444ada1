/** Scoring of one listed name against one prepared query: alignment, missing parts, qualifiers, explanation. */

import { type Alignment, COMPOUND_HEADS, joinedSimilarity, PART_FLOOR, alignParts, anyJoinable, joinable, loneHead } from './align-parts.ts';
import type { WatchlistEntry } from './entry.ts';
import type { Match, MatchExplanation, NameExplanation, NameRecord, PreparedName, ScreenQuery } from './match.ts';
import { type QualifierEffect, type QualifierOptions, dateOfBirthEffect, dateOfBirthValue, nationalityEffect, nationalityValue, sexEffect, sexValue } from './qualifiers.ts';
import { scriptOf } from './normalise-name.ts';
import { formRule, formSimilarity } from './part-forms.ts';
import { MAX_PARTS, type Vocabulary } from './vocabulary.ts';

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

/**
 * The score is held to the threshold after rounding to three decimals, and sums of effects
 * carry floating-point error (0.82 + 0.08 is 0.9000000000000001, 0.97 - 0.15 + 0.08 falls just
 * short of 0.9): the early outs that skip work leave this much room, so that they never turn
 * away a candidate whose rounded score would reach the threshold.
 */
export const ROUNDING = 0.001;

/** A candidate whose parts do not align enough to be a match whatever its qualifiers. */
const NO_NAME_MATCH = -Infinity;
const NONE = Object.freeze({ total: NO_NAME_MATCH, alignment: undefined });

/**
 * The most the qualifiers can add, whatever the options: the best a date of birth can give
 * (the slips' floors among them), and the best of nationality and sex.
 */
export function maxQualifierGain(o: QualifierOptions): number {
  return Math.max(o.dobExact, o.dobSameYear, o.dobNearMiss, o.dobYearSlip, -o.dobMismatch, 0) + bestNationalityAndSex(o);
}

/** The most nationality and sex can add: a listed nationality (or none given), and no contradiction of sex. */
export function bestNationalityAndSex(o: QualifierOptions): number {
  return Math.max(o.nationalityMatch, -o.nationalityMismatch, 0) + Math.max(-o.sexMismatch, 0);
}

/**
 * What the names alone score (aligned parts, missing parts, a low-quality alias), before the
 * qualifiers: it depends on the query's name and the listed name only, so it is kept on the
 * prepared query (`PreparedName.nameTotals`) and a name seen again (most are) pays nothing for
 * it, nor for the dates of namesakes its name already rules out.
 */
function nameTotal(q: PreparedName, record: NameRecord, vocabulary: Vocabulary, o: QualifierOptions): { total: number; alignment: Alignment | undefined } {
  const qt = q.tokens;
  const et = record.tokens;
  const qKeys = q.name.keys;
  const eKeys = record.keys;
  const none = NONE;
  if (qt.length > MAX_PARTS || et.length > MAX_PARTS) return none;
  // A one-part listed name (a mononym) is met by a longer query only as its parts written apart.
  if (et.length === 1 && qt.length > 1 && !joinable(qKeys.reduce((n, k) => n + k.length, 0), eKeys[0]!.length)) return none;
  const required = Math.min(2, qKeys.length, eKeys.length);
  const qa = quickAlign(qt, et, qKeys, eKeys, q.family, q.heads || record.heads, vocabulary);
  // Joins lengthen aligned pairs but never add one: too few pairs now is too few for good.
  if (qa.pairs > 0 && qa.pairs < required) return none;
  // No two parts alike and no head of a compound on either side (nothing for the full
  // alignment to join a compound with): it could only set the names' parts joined whole
  // against each other, one pair, too few when both names have two parts or more.
  if (qa.pairs === 0 && required === 2 && !q.heads && !record.heads) return none;
  const leftover = qa.pairs < qt.length || qa.pairs < et.length;
  // Parts left over may still be one part written as two, and a head alone (Abdul against
  // Abdullah) may join its neighbour or else not align: only then is the full alignment needed.
  const a = (leftover && (qa.pairs === 0 || anyJoinable(qKeys, eKeys))) || qa.loneHead ? alignParts(qKeys, eKeys, (i, j) => vocabulary.querySimilarity(i, et[j]!), joinedSimilarity) : undefined;
  const pairs = a === undefined ? qa.pairs : a.pairs.length;
  // One aligned part is enough only when one of the names has only one part.
  if (pairs < required || pairs === 0) return none;
  const nameScore = a === undefined ? qa.mean : a.mean;
  const uq = a === undefined ? qt.length - qa.pairs : a.unmatchedQuery.length;
  const ue = a === undefined ? et.length - qa.pairs : a.unmatchedEntry.length;
  const uf = a === undefined ? qa.unalignedFamily : countBelow(a.unmatchedQuery, q.family);
  const lowAlias = record.name.quality === 'low' ? o.lowQualityAlias : 0;
  return { total: nameScore - lowAlias + (uq + ue > 0 ? missingPartsEffect(uq, ue, uf) : 0), alignment: a };
}

/**
 * Scores candidate `c` of a prepared query (record `record`): its names (cached on the query),
 * then the qualifiers of this crossing; `undefined` when it falls short of its list's threshold
 * (unless `all`).
 */
export function scoreRecord(
  query: ScreenQuery,
  from: MatchExplanation['from'],
  q: PreparedName,
  c: number,
  record: NameRecord,
  e: { list: string; entry: WatchlistEntry; threshold: number },
  vocabulary: Vocabulary,
  o: QualifierOptions,
  all: boolean,
): Match | undefined {
  const entry = e.entry;
  let name = q.nameTotals[c]!;
  // A name already known to fall short costs nothing more; the date of birth is compared only
  // for a candidate whose names could reach the threshold with the best qualifiers.
  if (!all && name + maxQualifierGain(o) < e.threshold - ROUNDING) return undefined;
  let qualifierSum = sexValue(entry, query.sex, o) + nationalityValue(entry, query.nationality, o);
  if (query.dateOfBirth !== undefined) qualifierSum += dateOfBirthValue(entry.datesOfBirth, query.dateOfBirth, o);
  let alignment: Alignment | undefined;
  if (Number.isNaN(name)) {
    // Not aligned yet: a crossing whose qualifiers already rule the candidate out (a date of
    // birth far from the listed one) leaves it for a crossing that needs it.
    if (!all && 1 + qualifierSum < e.threshold - ROUNDING) return undefined;
    const n = nameTotal(q, record, vocabulary, o);
    name = q.nameTotals[c] = n.total;
    alignment = n.alignment;
  }
  if (name === NO_NAME_MATCH) return undefined;
  let total = name + qualifierSum;
  total = Math.round(Math.min(1, Math.max(0, total)) * 1000) / 1000;
  if (!all && total < e.threshold) return undefined;
  // A match (or a candidate asked for): now its explanation.
  const named = ((q.explained ??= new Array<NameExplanation | undefined>(q.candidates.length))[c] ??= explainName(q, record, vocabulary, o, alignment));
  const qualifiers: QualifierEffect[] = named.missingParts === undefined ? [] : [named.missingParts];
  if (named.lowAlias !== undefined) qualifiers.push(named.lowAlias);
  const d = query.dateOfBirth === undefined ? undefined : dateOfBirthEffect(entry.datesOfBirth, query.dateOfBirth, o);
  if (d !== undefined) qualifiers.push(d);
  const s = sexEffect(entry, query.sex, o);
  if (s !== undefined) qualifiers.push(s);
  const n = nationalityEffect(entry, query.nationality, o);
  if (n !== undefined) qualifiers.push(n);
  const script = scriptOf(from === 'mrz' ? '' : `${query.familyName} ${query.givenNames}`);
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
      ...(script === undefined ? {} : { script }),
      listedName: record.name.full,
      quality: record.name.quality,
      parts: named.parts,
      unmatchedQuery: named.unmatchedQuery,
      unmatchedEntry: named.unmatchedEntry,
      nameScore: named.nameScore,
      qualifiers,
    },
  };
}

/** The name half of a match's explanation, the same for every crossing of one name (kept on the query). */
function explainName(q: PreparedName, record: NameRecord, vocabulary: Vocabulary, o: QualifierOptions, alignment: Alignment | undefined): NameExplanation {
  const qt = q.tokens;
  const et = record.tokens;
  const al = alignment ?? alignParts(q.name.keys, record.keys, (i, j) => vocabulary.querySimilarity(i, et[j]!), joinedSimilarity);
  const qParts = q.name.from.map((i) => q.name.parts[i]!);
  const uq = al.unmatchedQuery.length;
  const ue = al.unmatchedEntry.length;
  const uf = countBelow(al.unmatchedQuery, q.family);
  let missingParts: QualifierEffect | undefined;
  if (uq + ue > 0) {
    const contradictions = Math.min(uq, ue);
    const family = Math.max(0, uf - ue);
    const familyDetail = family > 0 ? `, ${family} of them the traveller's family name` : '';
    missingParts = { qualifier: 'missingParts', effect: missingPartsEffect(uq, ue, uf), detail: `${contradictions} differing part(s), ${Math.max(uq, ue) - contradictions} part(s) on one side only${familyDetail}` };
  }
  const lowAlias: QualifierEffect | undefined = record.name.quality === 'low' ? { qualifier: 'aliasQuality', effect: -o.lowQualityAlias, detail: 'low-quality alias' } : undefined;
  const ePartsOf = (idx: number[]): string => idx.map((i) => record.parts[i]!).join('+');
  return {
    parts: al.pairs.map((p) => {
      const qp = p.query.map((i) => qParts[i]!).join('+');
      const ep = ePartsOf(p.entry);
      const rule =
        p.query.length > 1 ? 'written apart in the query'
        : p.entry.length > 1 ? 'written apart in the list'
        : formRule(formSimilarity(vocabulary.forms(qt[p.query[0]!]!), vocabulary.forms(et[p.entry[0]!]!)), qp, ep);
      return { query: qp, entry: ep, similarity: Math.round(p.similarity * 1000) / 1000, ...(rule === undefined ? {} : { rule }) };
    }),
    unmatchedQuery: al.unmatchedQuery.map((i) => qParts[i]!),
    unmatchedEntry: al.unmatchedEntry.map((i) => record.parts[i]!),
    nameScore: Math.round(al.mean * 1000) / 1000,
    missingParts,
    lowAlias,
  };
}

export function hasHead(keys: readonly string[]): boolean {
  return keys.some((k) => COMPOUND_HEADS.has(k));
}

function countBelow(indexes: readonly number[], limit: number): number {
  let n = 0;
  for (const i of indexes) if (i < limit) n++;
  return n;
}
