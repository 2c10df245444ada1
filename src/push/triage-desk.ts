import type { z } from 'zod';
import type { Alert } from '../alert/alert.ts';
import type { StoredAlert } from '../store/alert-log.ts';
import type { AlertStore } from '../store/alert-store.ts';
import { BulkTriageRequestSchema, type TriageEntry, type TriageRequest, TriageRequestSchema, triageEntry, triageRefusal } from '../triage/triage.ts';
import type { SubscriberAccess, SubscriberSink } from './subscriber-access.ts';
import { scopeRefusal } from './exercise-scope.ts';
import { issuesOf, requestIdOf } from './hub-replies.ts';

type Applied = { ok: true; stored: StoredAlert; entry: TriageEntry } | { ok: false; message: string };

/**
 * Analysts' triage requests over the subscribers' protocol (docs/protocol.md): one alert
 * (`triage`) or many (`triage-bulk`), each checked against the sender's rights and scope,
 * the four-eyes rule and the alert's state, stored, answered to the sender, and told to
 * every subscriber that sees the alert (`tell`).
 */
export class TriageDesk {
  constructor(
    private readonly store: AlertStore,
    private readonly fourEyes: (alert: Alert) => boolean,
    private readonly now: () => Date,
    private readonly tell: (stored: StoredAlert, entry: TriageEntry) => void,
  ) {}

  /** Stores a triage change and tells everyone who sees the alert; the sender also gets a `triage-result` or an `error`. */
  triage(sink: SubscriberSink, value: unknown, access: SubscriberAccess): void {
    const refuse = refuser(sink, value);
    const request = admit(TriageRequestSchema, 'triage', value, access, refuse);
    if (!request) return;
    const applied = this.apply(request.data.seq, { ...request.data, by: request.by }, access);
    if (!applied.ok) {
      refuse(applied.message);
      return;
    }
    const requestId = requestIdOf(value);
    sink.send(JSON.stringify({ type: 'triage-result', ...(requestId !== undefined && { requestId }), ok: true, seq: applied.stored.seq, entry: applied.entry }));
    this.tell(applied.stored, applied.entry);
  }

  /**
   * Bulk triage: the same action on many alerts, each applied and judged on its own (one
   * may be refused while the rest are stored); one `triage-bulk-result` lists every outcome.
   */
  triageBulk(sink: SubscriberSink, value: unknown, access: SubscriberAccess): void {
    const request = admit(BulkTriageRequestSchema, 'triage-bulk', value, access, refuser(sink, value));
    if (!request) return;
    const { by } = request;
    const { seqs, type: _type, requestId: _id, ...rest } = request.data;
    const results: ({ seq: number; ok: true; entry: TriageEntry } | { seq: number; ok: false; message: string })[] = [];
    for (const seq of [...new Set(seqs)]) {
      const applied = this.apply(seq, { ...rest, seq, type: 'triage', by }, access);
      if (applied.ok) {
        results.push({ seq, ok: true, entry: applied.entry });
        this.tell(applied.stored, applied.entry);
      } else results.push({ seq, ok: false, message: applied.message });
    }
    const requestId = requestIdOf(value);
    sink.send(JSON.stringify({ type: 'triage-bulk-result', ...(requestId !== undefined && { requestId }), results }));
  }

  /**
   * Applies one triage request: the four-eyes rule holds a dismissal pending, a
   * confirmation must come from someone else, an alert outside the sender's scope (a live
   * one for a trainee) is refused, and a store failure is told, not thrown.
   */
  private apply(seq: number, request: TriageRequest & { by: string }, access: SubscriberAccess): Applied {
    const entry = triageEntry(request, this.now());
    try {
      const current = this.store.get(seq);
      if (!current) return { ok: false, message: `no alert with seq ${seq} is held` };
      const outOfScope = scopeRefusal(access.scope, current);
      if (outOfScope !== undefined) return { ok: false, message: outOfScope };
      if (entry.action === 'dismiss' && this.fourEyes(current.alert)) entry.pending = true;
      const refusal = triageRefusal(current.triage, entry);
      if (refusal !== undefined) return { ok: false, message: refusal };
      const stored = this.store.triage(seq, entry);
      return stored ? { ok: true, stored, entry } : { ok: false, message: `no alert with seq ${seq} is held` };
    } catch (thrown) {
      // A full disk (SQLITE_FULL) must not end the connection or the process: the analyst is told and can try again.
      const message = thrown instanceof Error ? thrown.message : String(thrown);
      return { ok: false, message: `triage not stored: ${message}; nothing changed, try again` };
    }
  }
}

/** Without authentication, a triage message must name who acts. */
const NO_ONE = [{ path: 'by', message: 'name who acts: this processor has no authentication to tell' }];

/**
 * A triage message checked before anything is applied: the sender may triage, the
 * message is well formed, and someone acts. One truth: with authentication the entry is
 * by the token's holder, whatever the message says. Undefined (and `refuse`d) otherwise.
 */
function admit<T extends { by?: string | undefined }>(schema: z.ZodType<T>, type: string, value: unknown, access: SubscriberAccess, refuse: Refuse): { data: T; by: string } | undefined {
  if (access.triageRefused !== undefined) {
    refuse(access.triageRefused);
    return undefined;
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    refuse(`invalid ${type} message`, issuesOf(parsed.error));
    return undefined;
  }
  const by = access.by ?? parsed.data.by;
  if (by === undefined) {
    refuse(`invalid ${type} message`, NO_ONE);
    return undefined;
  }
  return { data: parsed.data, by };
}

type Refuse = (message: string, issues?: unknown[]) => void;

/** Answers the request with an `error` (its issues, when given). */
function refuser(sink: SubscriberSink, value: unknown): Refuse {
  const requestId = requestIdOf(value);
  return (message, issues) => sink.send(JSON.stringify({ type: 'error', ...(requestId !== undefined && { requestId }), message, ...(issues !== undefined && { issues }) }));
}
