import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Alert } from '../alert/alert.ts';
import type { StoredAlert } from '../store/alert-store.ts';

/** What a personal value is, shown in its pseudonym so that a masked alert still reads. */
type Kind = 'name' | 'doc' | 'mrz' | 'plate' | 'value';

/**
 * The evidence sources whose values are personal: a window's `distinct` over one of these
 * holds other travellers' values, which the alert's own event does not name.
 */
const PERSONAL_SOURCE = /traveller|document\.number|\.mrz|dateOfBirth|plate/;

/** Masked alerts kept, so that several trainers watching the same feed cost one masking. */
const CACHE = 2_000;

/**
 * Masks the personal data of alerts for roles that do not need it (trainers, rule
 * authors). Every personal value of the alert's event (names and each name part, date
 * of birth, document number, MRZ lines, vehicle plate) becomes a keyed pseudonym such as
 * `name#3fa9c2d1` wherever it appears in the message, in any string, not only at the
 * fields it came from: the subject, window and sequence keys, watchlist evidence, triage
 * notes. A date of birth keeps its year (`1989-XX-XX`). The same value always gets the
 * same pseudonym under one key, so "the same document twice" stays visible; without the
 * key the pseudonym cannot be turned back into the value (it is an HMAC, not a hash a
 * dictionary of names could reverse).
 */
export class AlertMasker {
  private readonly key: Buffer;
  private readonly cache = new Map<number, { source: string; masked: string }>();

  constructor(key: Buffer) {
    this.key = key;
  }

  /** The alert message (`{"type":"alert",...}`) with personal data masked. */
  message(stored: StoredAlert): string {
    const hit = this.cache.get(stored.seq);
    if (hit && hit.source === stored.message) return hit.masked;
    const masked = JSON.stringify(this.mask(stored.alert, JSON.parse(stored.message) as unknown));
    if (this.cache.size >= CACHE) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(stored.seq, { source: stored.message, masked });
    return masked;
  }

  /** Masks anything sent about an alert (a triage notice, say) with that alert's personal values. */
  mask<T>(alert: Alert, value: T): T {
    const replace = this.replacer(alert);
    const out = mapStrings(value, replace) as T;
    maskKnownPaths(out, (kind, v) => this.pseudonym(kind, v));
    return out;
  }

  /** A stable pseudonym: the kind and the first 8 hex digits of an HMAC of the upper-cased value. */
  pseudonym(kind: Kind, value: string): string {
    return `${kind}#${crypto.createHmac('sha256', this.key).update(`${kind}:${value.toUpperCase()}`).digest('hex').slice(0, 8)}`;
  }

  /** One regular expression over all the event's personal values, longest first, on word boundaries. */
  private replacer(alert: Alert): (text: string) => string {
    const values = personalValues(alert);
    if (values.size === 0) return (text) => text;
    const sorted = [...values.keys()].sort((a, b) => b.length - a.length);
    const pattern = new RegExp(`(?<![\\p{L}\\p{N}])(?:${sorted.map(escape).join('|')})(?![\\p{L}\\p{N}])`, 'giu');
    const byUpper = new Map([...values].map(([v, kind]) => [v.toUpperCase(), kind]));
    return (text) =>
      text.replace(pattern, (found) => {
        const kind = byUpper.get(found.toUpperCase()) ?? 'value';
        return kind === 'dob' ? `${found.slice(0, 4)}-XX-XX` : this.pseudonym(kind, found);
      });
  }
}

/**
 * The personal values of an alert's event, each with its kind. Name parts are listed on
 * their own too, since a watchlist alignment or a key may hold one part only; parts of
 * one letter are left to the path-based masking (as free text they would hit every "A").
 */
export function personalValues(alert: Alert): Map<string, Kind | 'dob'> {
  const values = new Map<string, Kind | 'dob'>();
  if (alert.event.kind !== 'crossing') return values;
  const { traveller, document, vehicle } = alert.event;
  const add = (value: string | undefined, kind: Kind | 'dob'): void => {
    if (value !== undefined && value.trim().length >= 2) values.set(value.trim(), kind);
  };
  for (const name of [traveller.familyName, traveller.givenNames]) {
    add(name, 'name');
    for (const part of name.split(/[\s,<-]+/)) add(part, 'name');
  }
  add(traveller.dateOfBirth, 'dob');
  add(document.number, 'doc');
  for (const line of document.mrz ?? []) add(line, 'mrz');
  add(vehicle?.plate, 'plate');
  return values;
}

/**
 * Values that are personal because of where they sit rather than because they are the
 * event's: the traveller's fields (a one-letter given name included), a watchlist
 * match's aligned query parts (normalised, perhaps transliterated, so no longer equal to
 * the event's spelling), and what a window over a personal field held of other events.
 */
function maskKnownPaths(message: unknown, pseudonym: (kind: Kind, value: string) => string): void {
  const alert = (message as { alert?: Alert }).alert;
  if (!alert || typeof alert !== 'object') return;
  const event = alert.event as { kind?: string; traveller?: Record<string, unknown> } | undefined;
  if (event?.kind === 'crossing' && event.traveller) {
    for (const field of ['familyName', 'givenNames'] as const) {
      const v = event.traveller[field];
      if (typeof v === 'string' && v !== '' && !v.includes('#')) event.traveller[field] = pseudonym('name', v);
    }
  }
  for (const indicator of alert.indicators ?? []) {
    const evidence = indicator.evidence ?? [];
    const distinct = evidence.find((e) => typeof e.field === 'string' && e.field.startsWith('distinct ') && PERSONAL_SOURCE.test(e.field));
    const heldKind = distinct && kindOfSource(distinct.field);
    for (const e of evidence) {
      const actual = e.actual as Record<string, unknown> | unknown[] | null;
      if (e.op === 'watchlist' && actual && !Array.isArray(actual)) {
        const alignments = actual.alignments as { query?: unknown }[] | undefined;
        for (const a of alignments ?? []) if (typeof a.query === 'string' && !a.query.startsWith('name#')) a.query = pseudonym('name', a.query);
        if (Array.isArray(actual.unmatchedQuery)) actual.unmatchedQuery = actual.unmatchedQuery.map((q) => (typeof q === 'string' && !q.startsWith('name#') ? pseudonym('name', q) : q));
      }
      if (heldKind && e.field === 'window held' && Array.isArray(actual)) {
        for (const held of actual as { value?: unknown }[]) {
          if (!held || typeof held.value !== 'string' || /^[a-z]+#[0-9a-f]{8}$|^\d{4}-XX-XX$/.test(held.value)) continue;
          held.value = heldKind === 'dob' ? `${held.value.slice(0, 4)}-XX-XX` : pseudonym(heldKind, held.value);
        }
      }
    }
  }
}

/** The kind of the values a window's `distinct` source holds, so another traveller's name gets a name's pseudonym. */
function kindOfSource(field: string): Kind | 'dob' {
  if (/familyName|givenNames/.test(field)) return 'name';
  if (/document\.number/.test(field)) return 'doc';
  if (/dateOfBirth/.test(field)) return 'dob';
  if (/mrz/.test(field)) return 'mrz';
  if (/plate/.test(field)) return 'plate';
  return 'value';
}

/** A copy of a JSON-like value with every string passed through `replace`. */
export function mapStrings(value: unknown, replace: (text: string) => string): unknown {
  if (typeof value === 'string') return replace(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, replace));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = mapStrings(v, replace);
    return out;
  }
  return value;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The pseudonym key of a data directory (`mask.key`, owner-readable only), made on first
 * use, so that pseudonyms stay the same across restarts and sessions of one deployment.
 */
export function loadMaskKey(dataDir: string): Buffer {
  const file = path.join(dataDir, 'mask.key');
  try {
    return Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'hex');
  } catch (thrown) {
    if ((thrown as NodeJS.ErrnoException).code !== 'ENOENT') throw thrown;
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const key = crypto.randomBytes(32);
  fs.writeFileSync(file, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  return key;
}
