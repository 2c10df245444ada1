/** Scoring of one listed name against one prepared query: alignment, missing parts, qualifiers, explanation. */

import jaroWinkler from 'talisman/metrics/jaro-winkler.js';
import { COMPOUND_HEADS, PART_FLOOR, alignParts, anyJoinable, joinable, loneHead } from './align-parts.ts';
import type { WatchlistEntry } from './entry.ts';
import type { Match, MatchExplanation, NameRecord, PreparedName, ScreenQuery } from './match.ts';
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

export function scoreRecord(
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
  const script = scriptOf(from === 'mrz' ? '' : `${query.familyName} ${query.givenNames}`);
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
      ...(script === undefined ? {} : { script }),
      listedName: record.name.full,
      quality: record.name.quality,
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
      nameScore: Math.round(nameScore * 1000) / 1000,
      qualifiers,
    },
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
