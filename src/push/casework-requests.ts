import { z } from 'zod';
import { subjectKeys } from '../alert/subject-keys.ts';
import { listedEntries } from '../alert/suppress-non-matches.ts';
import { NOTE_WITHHELD } from '../auth/mask-alert.ts';
import type { Casework } from '../casework/casework.ts';
import { type NonMatch, NonMatchRequestSchema } from '../casework/non-matches.ts';
import { type Silence, SilenceRequestSchema } from '../casework/silences.ts';
import { formatPath } from '../model/event.ts';
import type { AlertStore } from '../store/alert-store.ts';
import type { HandledRequest, RequestHandler, SubscriberAccess } from './alert-hub.ts';

const IdRequestSchema = z.strictObject({
  type: z.string(),
  requestId: z.string().max(100).optional(),
  id: z.string().min(1).max(100),
  by: z.string().trim().min(1).max(100).optional(),
});

const ListRequestSchema = z.strictObject({ type: z.string(), requestId: z.string().max(100).optional() });

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
    'non-matches'(request, access) {
      const parsed = ListRequestSchema.safeParse(request);
      if (!parsed.success) return invalid('non-matches', parsed.error);
      return { reply: { type: 'non-matches', nonMatches: casework.nonMatches.list().map((n) => maskNonMatch(n, pseudonymOf(access))) } };
    },
  };

  return {
    handles: (type) => Object.hasOwn(handlers, type),
    handle: (request, access) => handlers[request.type as string]!(request, access),
  };
}
