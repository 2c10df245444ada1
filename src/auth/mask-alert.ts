import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { type Alert, subjectOf } from '../alert/alert.ts';
import type { Crossing } from '../model/crossing.ts';
import type { StoredAlert } from '../store/alert-log.ts';
import { canonicalForm, foldWithMap, graphemeCount } from './canonical-form.ts';

export { canonicalForm } from './canonical-form.ts';

/** What a personal value is, shown in its pseudonym so that a masked alert still reads. */
type Kind = 'name' | 'doc' | 'mrz' | 'plate' | 'value';

/**
 * The evidence sources whose values are personal: a window's `distinct` over one of these
 * holds other travellers' values, which the alert's own event does not name.
 */
const PERSONAL_SOURCE = /traveller|document\.number|\.mrz|dateOfBirth|plate/;

/** An evidence field that is one of the event's personal fields: its values are masked by where they sit. */
const PERSONAL_FIELD = /^event\.(?:traveller\.(?:familyName|givenNames|dateOfBirth)|document\.(?:number|mrz(?:\[\d+\])?)|vehicle\.plate)$/;

/** Masked alerts kept, so that several trainers watching the same feed cost one masking. */
const CACHE = 2_000;

/**
 * What masked roles get instead of a triage note. Notes are free text an analyst wrote
 * about the traveller: they may name relatives, companions or the traveller in a spelling
 * the alert does not hold, which no value-matching can find, so they are withheld whole.
 */
export const NOTE_WITHHELD = '[note withheld: free text may name people]';

/** Where a masked value reads as a pseudonym or a masked date, so that path masking does not mask it twice. */
const ALREADY_MASKED = /^[a-z]+#[0-9a-f]{8}$|^\d{4}-XX-XX$/;

/** A personal value of an alert's event, ready to be found in text. */
interface Personal {
  kind: Kind | 'dob';
}

/**
 * Masks the personal data of alerts for roles that do not need it (trainers, rule
 * authors). Personal values are masked in two ways, both comparing values in one
 * canonical form (NFKC plus full case folding, `canonical-form.ts`), never by a
 * case-insensitive regular expression over display text:
 *
 * - **by field**: the event's names, date of birth, document number, MRZ lines and plate,
 *   evidence about those fields, the subject line (rebuilt from the masked fields),
 *   watchlist alignments and what a window over a personal field held;
 * - **by value**: every other string of the message is searched for the event's personal
 *   values (names whole and each part of two letters or more, date of birth, document
 *   number, MRZ lines, plate) in any case or normalisation form, on word boundaries.
 *
 * Triage notes are withheld (`NOTE_WITHHELD`). A date of birth keeps its year
 * (`1989-XX-XX`). The same value always gets the same pseudonym under one key, however it
 * is spelt, so "the same document twice" stays visible; without the key the pseudonym
 * cannot be turned back into the value (it is an HMAC, not a hash a dictionary of names
 * could reverse).
 */
export class AlertMasker {
  private readonly key: Buffer;
  private readonly cache = new Map<number, { source: string; masked: string }>();
  private readonly views = new WeakMap<Alert, Alert>();

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

  /** The alert as a masked role sees it: what that role's filters must search, so that they reveal nothing more. */
  view(alert: Alert): Alert {
    let masked = this.views.get(alert);
    if (!masked) this.views.set(alert, (masked = this.mask(alert, { alert }).alert));
    return masked;
  }

  /** Masks anything sent about an alert (the alert message, a triage notice) with that alert's personal values. */
  mask<T>(alert: Alert, value: T): T {
    const out = mapStrings(value, this.replacer(alert)) as T;
    maskKnownPaths(out, alert, (kind, v) => this.pseudonym(kind, v));
    withholdNotes(out);
    return out;
  }

  /**
   * A stable pseudonym: the kind and the first 8 hex digits of an HMAC of the value's
   * canonical form, upper-cased (so that an ASCII value keeps the pseudonym it had when
   * values were only upper-cased).
   */
  pseudonym(kind: Kind, value: string): string {
    return `${kind}#${crypto.createHmac('sha256', this.key).update(`${kind}:${canonicalForm(value.trim()).toUpperCase()}`).digest('hex').slice(0, 8)}`;
  }

  /**
   * Replaces the event's personal values in a string. The string is folded to the
   * canonical form and searched there (case-sensitively: folding did the case), and what
   * is found is replaced in the original, whole graphemes at a time.
   */
  private replacer(alert: Alert): (text: string) => string {
    const values = new Map<string, Personal>();
    for (const [value, kind] of personalValues(alert)) {
      const folded = canonicalForm(value);
      if (folded !== '' && !values.has(folded)) values.set(folded, { kind });
    }
    if (values.size === 0) return (text) => text;
    const sorted = [...values.keys()].sort((a, b) => b.length - a.length);
    const pattern = new RegExp(`(?<![\\p{L}\\p{N}\\p{M}])(?:${sorted.map(escapeRegExp).join('|')})(?![\\p{L}\\p{N}\\p{M}])`, 'gu');
    return (text) => {
      const { folded, span } = foldWithMap(text);
      pattern.lastIndex = 0;
      let out = '';
      let done = 0;
      for (let match = pattern.exec(folded); match !== null; match = pattern.exec(folded)) {
        const [from, to] = span(match.index, match.index + match[0].length);
        if (from < done) continue;
        const kind = values.get(match[0])!.kind;
        const found = text.slice(from, to);
        out += text.slice(done, from) + (kind === 'dob' ? `${found.slice(0, 4)}-XX-XX` : this.pseudonym(kind, found));
        done = to;
      }
      return done === 0 ? text : out + text.slice(done);
    };
  }
}

/**
 * The personal values of an alert's event, as the event spells them, each with its kind.
 * Name parts are listed on their own too, since a watchlist alignment or a key may hold
 * one part only; parts of one letter are left to the masking by field (as free text they
 * would hit every "A").
 */
export function personalValues(alert: Alert): Map<string, Kind | 'dob'> {
  const values = new Map<string, Kind | 'dob'>();
  if (alert.event.kind !== 'crossing') return values;
  const { traveller, document, vehicle } = alert.event;
  const add = (value: string | undefined, kind: Kind | 'dob'): void => {
    if (value !== undefined && graphemeCount(value.trim()) >= 2) values.set(value.trim(), kind);
  };
  for (const name of [traveller.familyName, traveller.givenNames]) {
    add(name, 'name');
    for (const part of name.split(/[^\p{L}\p{N}\p{M}]+/u)) add(part, 'name');
  }
  add(traveller.dateOfBirth, 'dob');
  add(document.number, 'doc');
  for (const line of document.mrz ?? []) add(line, 'mrz');
  add(vehicle?.plate, 'plate');
  return values;
}

/**
 * Masks by field: the event's personal fields (a one-letter given name included) from the
 * original alert's values, the subject line rebuilt from them, evidence about those
 * fields, a watchlist match's aligned query parts (normalised, perhaps transliterated, so
 * no longer spelt as the event spells them) and what a window over a personal field held
 * of other events.
 */
function maskKnownPaths(message: unknown, original: Alert, pseudonym: (kind: Kind, value: string) => string): void {
  const alert = (message as { alert?: Alert }).alert;
  if (!alert || typeof alert !== 'object') return;
  if (original.event.kind === 'crossing' && alert.event && typeof alert.event === 'object') {
    const masked = maskedEvent(alert.event as Crossing, original.event, pseudonym);
    alert.event = masked;
    // The standard subject line is made from the event's fields: made again from the masked
    // fields, it holds no spelling of them (upper-casing included) and reads the same way.
    if (original.subject === subjectOf(original.event)) alert.subject = maskedSubject(masked, pseudonym('name', original.event.traveller.familyName));
  }
  for (const indicator of alert.indicators ?? []) {
    const evidence = indicator.evidence ?? [];
    const distinct = evidence.find((e) => typeof e.field === 'string' && e.field.startsWith('distinct ') && PERSONAL_SOURCE.test(e.field));
    const heldKind = distinct && kindOfSource(distinct.field);
    for (const e of evidence) {
      if (typeof e.field === 'string' && PERSONAL_FIELD.test(e.field)) {
        const kind = kindOfSource(e.field);
        const maskValue = (v: unknown): unknown => (typeof v !== 'string' || v === '' || ALREADY_MASKED.test(v) ? v : kind === 'dob' ? `${v.slice(0, 4)}-XX-XX` : pseudonym(kind, v));
        e.actual = Array.isArray(e.actual) ? e.actual.map(maskValue) : maskValue(e.actual);
        if ('expected' in e) e.expected = Array.isArray(e.expected) ? e.expected.map(maskValue) : maskValue(e.expected);
      }
      if (typeof e.field === 'string' && LINK_FIELD.test(e.field)) maskLinkEvidence(e, pseudonym);
      const actual = e.actual as Record<string, unknown> | unknown[] | null;
      if (e.op === 'watchlist' && actual && !Array.isArray(actual)) {
        const alignments = actual.alignments as { query?: unknown }[] | undefined;
        for (const a of alignments ?? []) if (typeof a.query === 'string' && !a.query.startsWith('name#')) a.query = pseudonym('name', a.query);
        if (Array.isArray(actual.unmatchedQuery)) actual.unmatchedQuery = actual.unmatchedQuery.map((q) => (typeof q === 'string' && !q.startsWith('name#') ? pseudonym('name', q) : q));
      }
      if (heldKind && e.field === 'window held' && Array.isArray(actual)) {
        for (const held of actual as { value?: unknown }[]) {
          if (!held || typeof held.value !== 'string' || ALREADY_MASKED.test(held.value)) continue;
          held.value = heldKind === 'dob' ? `${held.value.slice(0, 4)}-XX-XX` : pseudonym(heldKind, held.value);
        }
      }
    }
  }
}

/**
 * A crossing whose other fields were masked as text, with its personal fields set from the
 * original values (not from what text masking made of them, which leaves one-letter names).
 */
function maskedEvent(textMasked: Crossing, original: Crossing, pseudonym: (kind: Kind, value: string) => string): Crossing {
  const { traveller, document, vehicle } = original;
  const name = (v: string): string => (v.trim() === '' ? v : pseudonym('name', v));
  const value = (v: string): string => pseudonym('value', v);
  const pnr = original.pnr;
  return {
    ...textMasked,
    traveller: { ...textMasked.traveller, familyName: name(traveller.familyName), givenNames: name(traveller.givenNames), dateOfBirth: `${traveller.dateOfBirth.slice(0, 4)}-XX-XX` },
    // A booking's contacts, card, companions and history are personal data of the traveller and of others.
    ...(pnr && textMasked.pnr && {
      pnr: {
        ...textMasked.pnr,
        recordLocator: value(pnr.recordLocator),
        contacts: { phones: pnr.contacts.phones.map(value), emails: pnr.contacts.emails.map(value), addresses: pnr.contacts.addresses.map(value) },
        coTravellers: pnr.coTravellers.map((c) => ({ familyName: name(c.familyName), givenNames: name(c.givenNames) })),
        history: pnr.history.map((h) => ({ ...h, item: value(h.item) })),
        ...(pnr.payment && { payment: { code: pnr.payment.code, ...(pnr.payment.cardType && { cardType: pnr.payment.cardType }), ...(pnr.payment.cardMasked && { cardMasked: value(pnr.payment.cardMasked) }) } }),
      },
    }),
    ...(original.api?.reservation && textMasked.api && { api: { ...textMasked.api, reservation: value(original.api.reservation) } }),
    document: { ...textMasked.document, number: pseudonym('doc', document.number), ...(document.mrz && { mrz: document.mrz.map((line) => pseudonym('mrz', line)) }) },
    ...(vehicle && textMasked.vehicle && { vehicle: { ...textMasked.vehicle, plate: pseudonym('plate', vehicle.plate) } }),
  };
}

/**
 * The subject line of a masked crossing, made by `subjectOf` itself so that it keeps its
 * layout; the family name goes in after, since `subjectOf` upper-cases it and a
 * pseudonym must keep its case.
 */
function maskedSubject(masked: Crossing, familyName: string): string {
  const PLACE = '\u0001';
  return subjectOf({ ...masked, traveller: { ...masked.traveller, familyName: PLACE } }).replace(PLACE, familyName);
}

/** Evidence of a PNR link rule: a shared contact, card or booking, and the other traveller it links to. */
const LINK_FIELD = /^(?:pnr\.|api\.reservation$)/;

/** Masks a link rule's evidence: the shared value, the booking, and the other traveller's name. */
function maskLinkEvidence(e: { actual: unknown; expected?: unknown }, pseudonym: (kind: Kind, value: string) => string): void {
  const value = (v: unknown): unknown => (typeof v !== 'string' || v === '' || ALREADY_MASKED.test(v) ? v : pseudonym('value', v));
  if (typeof e.actual === 'string') e.actual = value(e.actual);
  else if (e.actual && typeof e.actual === 'object' && 'booking' in e.actual) e.actual = { ...e.actual, booking: value((e.actual as { booking: unknown }).booking) };
  const expected = e.expected as { traveller?: unknown } | undefined;
  if (expected && typeof expected === 'object' && typeof expected.traveller === 'string' && !ALREADY_MASKED.test(expected.traveller)) {
    e.expected = { ...expected, traveller: pseudonym('name', expected.traveller) };
  }
}

/** Replaces every triage note in a message (an alert's history, a triage notice's entry) with `NOTE_WITHHELD`. */
function withholdNotes(message: unknown): void {
  if (message === null || typeof message !== 'object') return;
  const { triage, entry } = message as { triage?: { history?: { note?: unknown }[] }; entry?: { note?: unknown } };
  const entries = [...(Array.isArray(triage?.history) ? triage.history : []), ...(entry && typeof entry === 'object' ? [entry] : [])];
  for (const e of entries) if (e && typeof e === 'object' && e.note !== undefined) e.note = NOTE_WITHHELD;
}

/** The kind of the values a field or a window's `distinct` source holds, so another traveller's name gets a name's pseudonym. */
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

function escapeRegExp(text: string): string {
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
