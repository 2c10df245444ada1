import { z } from 'zod';
import { subjectKeys } from '../alert/subject-keys.ts';
import { listedEntries } from '../alert/suppress-non-matches.ts';
import { NOTE_WITHHELD } from '../auth/mask-alert.ts';
import type { Casework } from '../casework/casework.ts';
import { CaseCreateSchema, type CaseRecord, CaseStatusSchema, CaseUpdateSchema } from '../casework/cases.ts';
import { type NonMatch, NonMatchRequestSchema } from '../casework/non-matches.ts';
import { type Silence, SilenceRequestSchema } from '../casework/silences.ts';
import { StoreError } from '../errors.ts';
import { formatPath } from '../model/event.ts';
import type { AlertStore } from '../store/alert-store.ts';
import type { TriageStatus } from '../triage/triage.ts';
import type { HandledRequest, RequestHandler, SubscriberAccess } from './alert-hub.ts';

const IdRequestSchema = z.strictObject({
  type: z.string(),
  requestId: z.string().max(100).optional(),
  id: z.string().min(1).max(100),
  by: z.string().trim().min(1).max(100).optional(),
});

const ListRequestSchema = z.strictObject({ type: z.string(), requestId: z.string().max(100).optional() });


/** Why live casework (non-matches, subject history) is not built on an exercise's alert: recorded training traffic must not change or reveal live decisions. */
const exerciseAlert = (seq: number, exercise: string): string => `alert ${seq} belongs to exercise ${exercise}: non-matches and subject history are live casework; nothing was changed`;
/** The statuses an alert can still be worked in. */
const OPEN: readonly TriageStatus[] = ['new', 'acknowledged', 'assigned', 'escalated', 'pending-dismissal'];

/**
 * A work queue: `open` (everything not dismissed), `mine` (open and assigned to the
 * asker), `unassigned` (open, assigned to nobody), `pending` (dismissals waiting for a
 * second analyst); `statuses` and `assignee` narrow any of them.
 */
const QueueRequestSchema = z.strictObject({
  type: z.literal('queue'),
  requestId: z.string().max(100).optional(),
  queue: z.enum(['open', 'mine', 'unassigned', 'pending']),
  statuses: z.array(z.enum(['new', 'acknowledged', 'assigned', 'escalated', 'dismissed', 'pending-dismissal'])).min(1).optional(),
  assignee: z.string().trim().min(1).max(100).optional(),
  limit: z.int().min(1).max(500).optional(),
  /** Alerts with a smaller seq only: the next page. */
  before: z.int().min(1).optional(),
});

const CaseRequestSchema = z.strictObject({ type: z.literal('case'), requestId: z.string().max(100).optional(), id: z.string().min(1).max(100) });
const CasesRequestSchema = z.strictObject({ type: z.literal('cases'), requestId: z.string().max(100).optional(), status: CaseStatusSchema.optional() });
const SubjectRequestSchema = z.strictObject({ type: z.literal('subject'), requestId: z.string().max(100).optional(), seq: z.int().min(1) });

/** One alert of a queue, in a line. */
interface QueueItem {
  seq: number;
  alertId: string;
  severity: string;
  post: string;
  kind: string;
  subject: string;
  eventTime: string;
  status: TriageStatus;
  assignee?: string;
  /** A dismissal waiting for a second analyst. */
  proposed?: { reason: string; by: string };
}

export type Pseudonym = NonNullable<SubscriberAccess['mask']>['pseudonym'];

/**
 * A subject key as a masked role sees it: the document number, the person's names and
 * date of birth, the plate replaced by the same pseudonyms their masked alerts carry.
 */
export function maskSubjectKey(key: string, pseudonym: Pseudonym): string {
  const document = /^document ([A-Z0-9<]{1,3}):(.+)$/.exec(key);
  if (document) return `document ${document[1]}:${pseudonym('doc', document[2]!)}`;
  const person = /^person (.+) (\d{4})-\d{2}-\d{2}$/.exec(key);
  if (person) return `person ${pseudonym('name', person[1]!)} ${person[2]}-XX-XX`;
  const vehicle = /^vehicle (.+)$/.exec(key);
  if (vehicle) return `vehicle ${pseudonym('plate', vehicle[1]!)}`;
  return key;
}

/** How a reader with this access pseudonymises, or undefined when it sees personal data. */
function pseudonymOf(access: SubscriberAccess): Pseudonym | undefined {
  const mask = access.mask;
  return mask && ((kind, value) => mask.pseudonym(kind, value));
}

/** A silence as a reader sees it: for masked roles the subject pseudonymised and the reason (free text) withheld. */
export function maskSilence(silence: Silence, pseudonym: Pseudonym | undefined): Silence {
  if (!pseudonym) return silence;
  const { subject } = silence.matchers;
  return { ...silence, reason: NOTE_WITHHELD, matchers: { ...silence.matchers, ...(subject !== undefined && { subject: maskSubjectKey(subject, pseudonym) }) } };
}

export function maskNonMatch(nonMatch: NonMatch, pseudonym: Pseudonym | undefined): NonMatch {
  return pseudonym ? { ...nonMatch, reason: NOTE_WITHHELD, subject: maskSubjectKey(nonMatch.subject, pseudonym) } : nonMatch;
}

/** A notice about a change, plain and as masked roles get it. */
function notice<T>(type: string, key: string, value: T, masked: T): NonNullable<HandledRequest['notice']> {
  return { plain: { type, [key]: value }, masked: { type, [key]: masked } };
}

/**
 * The casework messages on `/alerts` (docs/protocol.md, *Casework*): silences and
 * confirmed non-matches, created, ended and listed. Changes need the right to triage and
 * are recorded with who made them (the token's holder); lists are masked for roles that
 * see masked alerts. `pseudonym` is what masked roles' notices are masked with (the
 * server's masker; undefined without authentication, when nobody is masked).
 */
export function caseworkRequests(casework: Casework, store: AlertStore, pseudonym: Pseudonym | undefined): RequestHandler {
  const error = (message: string, issues?: { path: string; message: string }[]): HandledRequest => ({ reply: { type: 'error', message, ...(issues && { issues }) } });
  const invalid = (what: string, e: z.ZodError): HandledRequest => error(`invalid ${what} message`, e.issues.map((i) => ({ path: formatPath(i.path), message: i.message })));
  /** Who acts, or why they may not. */
  const actor = (access: SubscriberAccess, given: string | undefined): { by: string } | { refused: HandledRequest } => {
    if (access.triageRefused !== undefined) return { refused: error(access.triageRefused) };
    const by = access.by ?? given;
    return by === undefined ? { refused: error('name who acts (by): this processor has no authentication to tell') } : { by };
  };

  const handlers: Record<string, (request: Record<string, unknown>, access: SubscriberAccess) => HandledRequest> = {
    silence(request, access) {
      const parsed = SilenceRequestSchema.safeParse(request);
      if (!parsed.success) return invalid('silence', parsed.error);
      const who = actor(access, parsed.data.by);
      if ('refused' in who) return who.refused;
      const silence = casework.silences.create(parsed.data.matchers, parsed.data.reason, parsed.data.duration, who.by);
      return { reply: { type: 'silence-result', ok: true, silence: maskSilence(silence, pseudonymOf(access)) }, notice: notice('silence', 'silence', silence, maskSilence(silence, pseudonym)) };
    },
    'silence-expire'(request, access) {
      const parsed = IdRequestSchema.safeParse(request);
      if (!parsed.success) return invalid('silence-expire', parsed.error);
      const who = actor(access, parsed.data.by);
      if ('refused' in who) return who.refused;
      const silence = casework.silences.expire(parsed.data.id, who.by);
      if (!silence) return error(`no silence ${parsed.data.id} is in force`);
      return { reply: { type: 'silence-result', ok: true, silence: maskSilence(silence, pseudonymOf(access)) }, notice: notice('silence', 'silence', silence, maskSilence(silence, pseudonym)) };
    },
    silences(request, access) {
      const parsed = ListRequestSchema.safeParse(request);
      if (!parsed.success) return invalid('silences', parsed.error);
      return { reply: { type: 'silences', silences: casework.silences.list().map((s) => maskSilence(s, pseudonymOf(access))) } };
    },
    'non-match'(request, access) {
      const parsed = NonMatchRequestSchema.safeParse(request);
      if (!parsed.success) return invalid('non-match', parsed.error);
      const who = actor(access, parsed.data.by);
      if ('refused' in who) return who.refused;
      const { seq, entry, scope, reason } = parsed.data;
      const stored = store.get(seq);
      if (!stored) return error(`no alert with seq ${seq} is held`);
      if (stored.scope !== undefined) return error(exerciseAlert(stored.seq, stored.scope));
      if (stored.alert.kind !== 'crossing') return error(`alert ${seq} is about cargo: non-matches are for watchlist hits on travellers`);
      const indicator = stored.alert.indicators.find((i) => listedEntries(i.evidence).includes(entry));
      if (!indicator) return error(`alert ${seq} has no watchlist hit on ${entry}`);
      const keys = subjectKeys(stored.alert.event);
      const subject = scope === 'person' ? keys.person! : keys.subject;
      const nonMatch = casework.nonMatches.confirm({ entry, subject, reason, by: who.by, fromSeq: seq, ruleId: indicator.id });
      return { reply: { type: 'non-match-result', ok: true, nonMatch: maskNonMatch(nonMatch, pseudonymOf(access)) }, notice: notice('non-match', 'nonMatch', nonMatch, maskNonMatch(nonMatch, pseudonym)) };
    },
    'non-match-revoke'(request, access) {
      const parsed = IdRequestSchema.safeParse(request);
      if (!parsed.success) return invalid('non-match-revoke', parsed.error);
      const who = actor(access, parsed.data.by);
      if ('refused' in who) return who.refused;
      const nonMatch = casework.nonMatches.revoke(parsed.data.id, who.by);
      if (!nonMatch) return error(`no non-match ${parsed.data.id} is in force`);
      return { reply: { type: 'non-match-result', ok: true, nonMatch: maskNonMatch(nonMatch, pseudonymOf(access)) }, notice: notice('non-match', 'nonMatch', nonMatch, maskNonMatch(nonMatch, pseudonym)) };
    },
    queue(request, access) {
      const parsed = QueueRequestSchema.safeParse(request);
      if (!parsed.success) return invalid('queue', parsed.error);
      const { queue, limit, before } = parsed.data;
      let { assignee } = parsed.data;
      if (queue === 'mine') {
        assignee = access.by ?? assignee;
        if (assignee === undefined) return error('name whose queue (assignee): this processor has no authentication to tell');
      }
      const statuses = parsed.data.statuses ?? (queue === 'pending' ? ['pending-dismissal'] : OPEN);
      // A trainee's queue is its exercise's alerts; with no exercise running, it is empty.
      if (access.scope === null) return { reply: { type: 'queue', queue, items: [] } };
      const found = store.queue({ statuses, ...(assignee !== undefined && { assignee }), unassigned: queue === 'unassigned', ...(limit !== undefined && { limit }), ...(before !== undefined && { before }), ...(access.scope !== undefined && { scope: access.scope }) });
      // A queue shows alerts' subjects: a read like any other, on record before it is answered.
      if (found.length > 0 && access.onRead && !access.onRead(found.map((f) => f.seq), 'casework', {})) return error('the audit log cannot be written, so alerts are not served; try again later');
      const items = found.map((f): QueueItem => {
        const item: QueueItem = {
          seq: f.seq,
          alertId: f.alert.alertId,
          severity: f.alert.severity,
          post: f.alert.post,
          kind: f.alert.kind,
          subject: f.alert.subject,
          eventTime: f.alert.eventTime,
          status: f.triage.status,
          ...(f.triage.assignee !== undefined && { assignee: f.triage.assignee }),
          ...(f.triage.proposed !== undefined && { proposed: f.triage.proposed }),
        };
        return access.mask ? access.mask.mask(f.alert, item) : item;
      });
      return { reply: { type: 'queue', queue, items } };
    },
    'case-create'(request, access) {
      const parsed = CaseCreateSchema.safeParse(request);
      if (!parsed.success) return invalid('case-create', parsed.error);
      const who = actor(access, parsed.data.by);
      if ('refused' in who) return who.refused;
      try {
        return caseChanged(casework.cases.create({ title: parsed.data.title, seqs: parsed.data.seqs, note: parsed.data.note, by: who.by }), access);
      } catch (thrown) {
        if (thrown instanceof StoreError) return error(thrown.message);
        throw thrown;
      }
    },
    'case-update'(request, access) {
      const parsed = CaseUpdateSchema.safeParse(request);
      if (!parsed.success) return invalid('case-update', parsed.error);
      const who = actor(access, parsed.data.by);
      if ('refused' in who) return who.refused;
      const { id, add, remove, note, status, outcome } = parsed.data;
      try {
        const updated = casework.cases.update(id, { add, remove, note, status, outcome }, who.by);
        return updated ? caseChanged(updated, access) : error(`no case ${id}`);
      } catch (thrown) {
        if (thrown instanceof StoreError) return error(thrown.message);
        throw thrown;
      }
    },
    case(request, access) {
      const parsed = CaseRequestSchema.safeParse(request);
      if (!parsed.success) return invalid('case', parsed.error);
      const found = casework.cases.get(parsed.data.id);
      if (!found) return error(`no case ${parsed.data.id}`);
      const alerts = caseAlerts(found, access);
      if (alerts === undefined) return error('the audit log cannot be written, so alerts are not served; try again later');
      return { reply: { type: 'case-result', ok: true, case: caseFor(found, access), alerts } };
    },
    cases(request, access) {
      const parsed = CasesRequestSchema.safeParse(request);
      if (!parsed.success) return invalid('cases', parsed.error);
      return { reply: { type: 'cases', cases: casework.cases.list(parsed.data.status).map((c) => caseFor(c, access)) } };
    },
    subject(request, access) {
      const parsed = SubjectRequestSchema.safeParse(request);
      if (!parsed.success) return invalid('subject', parsed.error);
      const scope = store.get(parsed.data.seq)?.scope;
      if (scope !== undefined) return error(exerciseAlert(parsed.data.seq, scope));
      const found = casework.subjectHistory(parsed.data.seq);
      if (!found) return error(`no alert with seq ${parsed.data.seq} is held`);
      const seqs = found.history.map((h) => h.seq);
      if (seqs.length > 0 && access.onRead && !access.onRead(seqs, 'casework', {})) return error('the audit log cannot be written, so alerts are not served; try again later');
      const { alert, ...panel } = found;
      const pseudonym = pseudonymOf(access);
      if (!access.mask || !pseudonym) return { reply: { type: 'subject', ...panel } };
      // Every earlier alert is about the same person or document: masking with the current
      // alert's values, and each entry's own, covers their names in any spelling.
      const mask = access.mask;
      const byStore = new Map(seqs.map((seq) => [seq, store.get(seq)?.alert]));
      const history = panel.history.map((h) => {
        const own = byStore.get(h.seq);
        return { ...mask.mask(own ?? alert, mask.mask(alert, h)), cases: h.cases.map((c) => ({ ...c, title: NOTE_WITHHELD })) };
      });
      const keys = Object.fromEntries(Object.entries(panel.keys).map(([k, v]) => [k, v === null ? null : maskSubjectKey(v, pseudonym)]));
      return { reply: { type: 'subject', seq: panel.seq, keys, history } };
    },
    'non-matches'(request, access) {
      const parsed = ListRequestSchema.safeParse(request);
      if (!parsed.success) return invalid('non-matches', parsed.error);
      return { reply: { type: 'non-matches', nonMatches: casework.nonMatches.list().map((n) => maskNonMatch(n, pseudonymOf(access))) } };
    },
  };

  /** A case as a reader sees it: free text (title, notes) withheld from masked roles, as triage notes are. */
  function caseFor(record: CaseRecord, access: SubscriberAccess): CaseRecord {
    return access.mask ? { ...record, title: NOTE_WITHHELD, notes: record.notes.map((n) => ({ ...n, note: NOTE_WITHHELD })) } : record;
  }

  /** The case's alerts in a line each (masked for masked roles), their read on record; undefined when it cannot be recorded. */
  function caseAlerts(record: CaseRecord, access: SubscriberAccess): unknown[] | undefined {
    if (record.seqs.length > 0 && access.onRead && !access.onRead(record.seqs, 'casework', {})) return undefined;
    return record.seqs.flatMap((seq) => {
      const stored = store.get(seq);
      if (!stored) return [];
      const { alert, triage } = stored;
      const line = { seq, alertId: alert.alertId, severity: alert.severity, post: alert.post, subject: alert.subject, eventTime: alert.eventTime, rules: alert.indicators.map((i) => i.id), status: triage.status, ...(triage.outcome !== undefined && { triageOutcome: triage.outcome }) };
      return [access.mask ? access.mask.mask(alert, line) : line];
    });
  }

  /** The reply and notice of a case change: the case with its alerts to the sender, the case to everyone. */
  function caseChanged(record: CaseRecord, access: SubscriberAccess): HandledRequest {
    const alerts = caseAlerts(record, access) ?? [];
    return { reply: { type: 'case-result', ok: true, case: caseFor(record, access), alerts }, notice: { plain: { type: 'case', case: record }, masked: { type: 'case', case: { ...record, title: NOTE_WITHHELD, notes: record.notes.map((n) => ({ ...n, note: NOTE_WITHHELD })) } } } };
  }

  return {
    handles: (type) => Object.hasOwn(handlers, type),
    // Casework is about live alerts: a trainee (working in an exercise) has its queue only.
    handle: (request, access) =>
      access.scope !== undefined && request.type !== 'queue' ? error(`a trainee works only on the exercise's alerts and its queue: ${String(request.type)} is for live casework; nothing was changed`) : handlers[request.type as string]!(request, access),
  };
}
