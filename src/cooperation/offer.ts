import { createHmac } from 'node:crypto';
import type { Alert } from '../alert/alert.ts';
import type { AgreementDef, ShareableField } from '../exchange/agreement-schema.ts';
import type { ExchangeMessage } from '../exchange/exchange-messages.ts';
import type { Agreement } from '../exchange/load-agreements.ts';
import { matchToken, type Subject, subjectIdentifiers } from '../exchange/match-tokens.ts';
import type { SharedKey, TokenSource } from '../exchange/partner-tokens.ts';
import type { Crossing } from '../model/crossing.ts';
import { severityRank } from '../rules/scoring-config.ts';
import type { StoredAlert } from '../store/alert-log.ts';
import type { WatchlistEntry } from '../watchlist/entry.ts';

/** Everything this side could tell of a subject, before an agreement's mask picks what goes. */
export type SubjectValues = Partial<Record<ShareableField, string | number | string[]>>;

/** A subject this side offers a partner: its opaque reference, what tokens are made of, and what could be released. */
export interface OfferedSubject {
  ref: string;
  source: TokenSource;
  /** What the subject is on this side, for this side's analysts (`kz-national KZN-7`, `alert #12`). */
  label: string;
  subject: Subject;
  values: SubjectValues;
  alertSeq?: number;
}

type TokenEntry = Extract<ExchangeMessage, { type: 'tokens' }>['tokens'][number];

/** The key that makes tokens now: the newest one still valid. */
export function currentKey(agreement: Agreement, now: number): SharedKey | undefined {
  return agreement.keys.filter((k) => k.notAfter > now).at(-1);
}

/** An opaque reference to a subject, unlinkable across partners and keys: `f-` (flagged) or `a-` (alert) and 32 hex digits. */
function refOf(key: SharedKey, source: TokenSource, id: string): string {
  return `${source === 'flagged' ? 'f' : 'a'}-${createHmac('sha256', key.key).update(`ref|${source}|${id}`, 'utf8').digest('hex').slice(0, 32)}`;
}

const FULL_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A watchlist entry as an offered subject: its names, its full dates of birth, its documents. */
export function flaggedSubject(list: string, entry: WatchlistEntry, key: SharedKey): OfferedSubject | undefined {
  if (entry.kind !== 'individual') return undefined;
  const primary = entry.names.find((n) => n.quality === 'primary') ?? entry.names[0]!;
  const family = primary.family ?? primary.full;
  const doc = entry.documents[0];
  const dob = entry.datesOfBirth.find((d) => FULL_DATE.test(d));
  return {
    ref: refOf(key, 'flagged', `${list}|${entry.id}`),
    source: 'flagged',
    label: `${list} ${entry.id}`,
    subject: {
      documents: entry.documents.flatMap((d) => (d.issuingState === undefined ? [] : [{ issuingState: d.issuingState, number: d.number }])),
      names: entry.names.filter((n) => n.quality !== 'low').map((n) => ({ familyName: n.family ?? n.full, givenNames: n.family === undefined ? '' : n.full.replace(n.family, '').trim() })),
      datesOfBirth: entry.datesOfBirth.filter((d) => FULL_DATE.test(d)),
    },
    values: {
      familyName: family,
      givenNames: primary.full === family ? '' : primary.full.replace(family, '').trim(),
      ...(dob !== undefined && { dateOfBirth: dob, yearOfBirth: dob.slice(0, 4) }),
      ...(entry.sex !== undefined && { sex: entry.sex }),
      ...(entry.nationalities[0] !== undefined && { nationality: entry.nationalities[0] }),
      ...(doc !== undefined && { documentType: doc.type, documentNumber: doc.number, ...(doc.issuingState !== undefined && { issuingState: doc.issuingState }) }),
    },
  };
}

/** Whether an agreement offers this alert: a crossing, severe enough, of an offered rule, recent enough, and not itself a partner's hit. */
export function offersAlert(def: AgreementDef, alert: Alert, now: number): boolean {
  const offer = def.offer.alerts;
  if (!offer || alert.kind !== 'crossing' || !offer.kinds.includes('crossing')) return false;
  if (severityRank(alert.severity) < severityRank(offer.minSeverity)) return false;
  const own = alert.indicators.filter((i) => !i.evidence.some((e) => e.op === 'partner-hit'));
  if (own.length === 0) return false;
  if (offer.rules !== undefined && !own.some((i) => offer.rules!.includes(i.id))) return false;
  return Date.parse(alert.eventTime) >= now - def.retention.alerts;
}

/** An alert's subject (its traveller and document) as an offered subject. */
export function alertSubject(stored: StoredAlert, key: SharedKey): OfferedSubject {
  const { alert } = stored;
  const event = alert.event as Crossing;
  const t = event.traveller;
  const d = event.document;
  return {
    ref: refOf(key, 'alert', alert.alertId),
    source: 'alert',
    label: `alert #${stored.seq}`,
    alertSeq: stored.seq,
    subject: { documents: [{ issuingState: d.issuingState, number: d.number }], names: [{ familyName: t.familyName, givenNames: t.givenNames }], datesOfBirth: [t.dateOfBirth] },
    values: {
      post: alert.post,
      eventTime: alert.eventTime,
      direction: event.direction,
      mode: event.mode,
      rules: alert.indicators.filter((i) => !i.evidence.some((e) => e.op === 'partner-hit')).map((i) => `${i.id}: ${i.title}`),
      severity: alert.severity,
      score: alert.score,
      nationality: t.nationality,
      sex: t.sex,
      yearOfBirth: t.dateOfBirth.slice(0, 4),
      dateOfBirth: t.dateOfBirth,
      familyName: t.familyName,
      givenNames: t.givenNames,
      documentType: d.type,
      documentNumber: d.number,
      issuingState: d.issuingState,
    },
  };
}

/** Only the fields an agreement lets go: every other value stays on this side. */
export function maskValues(values: SubjectValues, fields: readonly ShareableField[]): SubjectValues {
  const out: SubjectValues = {};
  for (const f of fields) if (values[f] !== undefined) out[f] = values[f];
  return out;
}

/** The tokens of the offered subjects, under the current key, each expiring after the agreement's token retention. */
export function tokensOf(def: AgreementDef, subjects: readonly OfferedSubject[], key: SharedKey, now: number): TokenEntry[] {
  const expires = new Date(Math.min(now + def.retention.tokens, key.notAfter)).toISOString();
  const out: TokenEntry[] = [];
  for (const s of subjects) {
    for (const { kind, identifier } of subjectIdentifiers(s.subject, def.share.tokens)) out.push({ token: matchToken(key.key, identifier), kind, ref: s.ref, source: s.source, keyId: key.id, expires });
  }
  return out;
}
