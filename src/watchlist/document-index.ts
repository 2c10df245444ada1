import type { ListDocument, Watchlist } from './entry.ts';

/** One stolen, lost or otherwise listed travel document. */
export interface ListedDocument {
  number: string;
  /** ISO 3166-1 alpha-3. */
  issuingState: string;
  reportedOn?: string;
}

/** A stolen/lost travel document list (INTERPOL SLTD extract or a national one). */
export interface DocumentList {
  list: string;
  documents: readonly ListedDocument[];
}

export interface DocumentHit {
  list: string;
  /** Set when the document belongs to a watchlist entry (the UN list gives passport numbers). */
  entryId?: string;
  number: string;
  issuingState?: string;
  reportedOn?: string;
  /** False when the list gives no issuing state, so only the number matched. */
  stateMatched: boolean;
}

/**
 * Document numbers compared as printed in the MRZ: upper case, letters and digits only
 * (lists write `OA 454044`, `96 03 464086`, `N-1234`).
 */
export function normaliseDocumentNumber(number: string): string {
  return number.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

/** Exact lookup of document number + issuing state, built once. */
export class DocumentIndex {
  private readonly byKey = new Map<string, DocumentHit[]>();
  /** Every listed number, normalised: most documents are not listed, and one lookup says so. */
  private readonly numbers = new Set<string>();

  constructor(watchlists: readonly Watchlist[], documentLists: readonly DocumentList[]) {
    for (const w of watchlists) {
      for (const e of w.entries) for (const d of e.documents) this.add(w.list, d, e.id);
    }
    for (const l of documentLists) for (const d of l.documents) this.add(l.list, { type: 'travel document', ...d }, undefined);
  }

  private add(list: string, d: ListDocument & { reportedOn?: string }, entryId: string | undefined): void {
    const number = normaliseDocumentNumber(d.number);
    if (number.length < 4) return;
    const hit: DocumentHit = {
      list,
      ...(entryId === undefined ? {} : { entryId }),
      number: d.number,
      ...(d.issuingState === undefined ? {} : { issuingState: d.issuingState }),
      ...(d.reportedOn === undefined ? {} : { reportedOn: d.reportedOn }),
      stateMatched: d.issuingState !== undefined,
    };
    this.numbers.add(number);
    const key = `${d.issuingState ?? '*'}:${number}`;
    const hits = this.byKey.get(key);
    if (hits === undefined) this.byKey.set(key, [hit]);
    else hits.push(hit);
  }

  /** Hits for this number issued by this state, and for this number listed without a state. */
  check(number: string, issuingState?: string): DocumentHit[] {
    // A number as the MRZ prints it (upper case, letters and digits) needs no normalising.
    const n = /^[A-Z0-9]*$/.test(number) ? number : normaliseDocumentNumber(number);
    if (!this.numbers.has(n)) return [];
    const exact = issuingState === undefined ? undefined : this.byKey.get(`${issuingState}:${n}`);
    const loose = this.byKey.get(`*:${n}`);
    if (exact === undefined) return loose ?? [];
    return loose === undefined ? exact : [...exact, ...loose];
  }
}
