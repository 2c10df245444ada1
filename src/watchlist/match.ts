import type { ListName, NameQuality, WatchlistEntry } from './entry.ts';
import type { NormalisedName } from './normalise-name.ts';
import type { QualifierEffect, QualifierOptions } from './qualifiers.ts';
import type { DocumentHit, DocumentList } from './document-index.ts';

/** What screening takes and returns, and the prepared forms of listed and queried names it works on. */
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
  /**
   * The variant rule that aligned them, when they are not spelt the same: `German
   * transliteration`, `suffix -zoda added`, `written apart in the query` ...
   */
  rule?: string;
}

export interface MatchExplanation {
  /** Which form of the query matched: the traveller's names or the MRZ name field. */
  from: 'names' | 'mrz';
  /** The script or alphabet the query was read from when not English-style Latin (`Tajik Cyrillic, read by ICAO Doc 9303`). */
  script?: string;
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


/** A listed name (or alias) prepared once when the index is built. */
export interface NameRecord {
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
export interface PreparedName {
  name: NormalisedName;
  tokens: Int32Array;
  /** How many leading parts (of `tokens`) are the traveller's family name. */
  family: number;
  /** Whether a part is the head of a compound name (Abdul, Abu): see `loneHead`. */
  heads: boolean;
  /**
   * Names to compare (record numbers, each once): those filed under the name's pairs of parts,
   * and under its single parts (multi-part names only) where at most SINGLE_CAP names share them.
   * A one-part name is compared with one-part names, and with longer names only as their parts written as one (`joinable`).
   */
  candidates: Int32Array;
  /**
   * What each candidate's names score before the qualifiers (NaN: not aligned yet; -Infinity:
   * too few parts align), filled in as crossings of this name are screened.
   */
  nameTotals: Float64Array;
  /** The name half of each matched candidate's explanation, built on its first match (the array on the name's first). */
  explained: (NameExplanation | undefined)[] | undefined;
}

/** The name half of a match's explanation, kept per candidate on a prepared name. */
export interface NameExplanation {
  parts: AlignedPartExplanation[];
  unmatchedQuery: string[];
  unmatchedEntry: string[];
  nameScore: number;
  missingParts: QualifierEffect | undefined;
  lowAlias: QualifierEffect | undefined;
}
