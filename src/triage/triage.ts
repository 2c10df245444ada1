import { z } from 'zod';

/** Why an analyst closed an alert; rule authors see these counted per rule. */
export const TriageReasonSchema = z.enum(['true-hit', 'false-positive', 'duplicate', 'other']);
export type TriageReason = z.infer<typeof TriageReasonSchema>;

/** `confirm`: a second analyst confirms a dismissal that the four-eyes rule held pending (docs/casework.md). */
export const TriageActionSchema = z.enum(['acknowledge', 'assign', 'escalate', 'dismiss', 'note', 'confirm']);
export type TriageAction = z.infer<typeof TriageActionSchema>;

const Name = z.string().trim().min(1).max(100);
const Note = z.string().trim().min(1).max(2000);

/** Which fields each triage action needs and takes (one alert or several). */
function checkActionFields(r: { action: TriageAction; assignee?: string | undefined; reason?: string | undefined; note?: string | undefined }, ctx: z.RefinementCtx): void {
  if (r.action === 'assign' && r.assignee === undefined) ctx.addIssue({ code: 'custom', path: ['assignee'], message: 'assign needs an assignee' });
  if (r.action === 'dismiss' && r.reason === undefined) ctx.addIssue({ code: 'custom', path: ['reason'], message: `dismiss needs a reason: ${TriageReasonSchema.options.join(', ')}` });
  if (r.action === 'note' && r.note === undefined) ctx.addIssue({ code: 'custom', path: ['note'], message: 'note needs a note' });
  if (r.action !== 'assign' && r.assignee !== undefined) ctx.addIssue({ code: 'custom', path: ['assignee'], message: 'only assign takes an assignee' });
  if (r.action !== 'dismiss' && r.reason !== undefined) ctx.addIssue({ code: 'custom', path: ['reason'], message: 'only dismiss takes a reason' });
}

/**
 * A triage request from a subscriber. `assignee` is needed to assign, `reason` to
 * dismiss and `note` to add a note; a note may accompany any action.
 */
export const TriageRequestSchema = z
  .strictObject({
    type: z.literal('triage'),
    /** Echoed in the reply so a client can match answers to requests. */
    requestId: z.string().max(100).optional(),
    seq: z.int().min(1),
    action: TriageActionSchema,
    /**
     * Who acts, for a processor without authentication only: with tokens the entry is by
     * the token's holder, and a `by` given here is ignored.
     */
    by: Name.optional(),
    assignee: Name.optional(),
    reason: TriageReasonSchema.optional(),
    note: Note.optional(),
  })
  .superRefine(checkActionFields);

/** The same triage applied to several alerts at once (bulk triage); each is judged and answered on its own. */
export const BulkTriageRequestSchema = z
  .strictObject({
    type: z.literal('triage-bulk'),
    requestId: z.string().max(100).optional(),
    seqs: z.array(z.int().min(1)).min(1).max(500),
    action: TriageActionSchema,
    by: Name.optional(),
    assignee: Name.optional(),
    reason: TriageReasonSchema.optional(),
    note: Note.optional(),
  })
  .superRefine(checkActionFields);
export type TriageRequest = z.infer<typeof TriageRequestSchema>;

/** One stored change, with who made it and when. */
export interface TriageEntry {
  action: TriageAction;
  by: string;
  /** Wall-clock time of the change (ISO 8601): triage happens in the analysts' time, not event time. */
  at: string;
  assignee?: string;
  reason?: TriageReason;
  note?: string;
  /** A dismissal the four-eyes rule holds until a second analyst confirms it. */
  pending?: true;
}

export type TriageStatus = 'new' | 'acknowledged' | 'assigned' | 'escalated' | 'dismissed' | 'pending-dismissal';

export interface TriageState {
  status: TriageStatus;
  assignee?: string;
  /** The reason of the last dismissal. */
  outcome?: TriageReason;
  /** A dismissal awaiting a second analyst's confirmation: its reason and who proposed it. */
  proposed?: { reason: TriageReason; by: string };
  history: TriageEntry[];
}

export const NEW_TRIAGE: TriageState = Object.freeze({ status: 'new', history: Object.freeze([]) as unknown as TriageEntry[] }) as TriageState;

export function triageEntry(request: TriageRequest & { by: string }, at: Date): TriageEntry {
  return {
    action: request.action,
    by: request.by,
    at: at.toISOString(),
    ...(request.assignee !== undefined && { assignee: request.assignee }),
    ...(request.reason !== undefined && { reason: request.reason }),
    ...(request.note !== undefined && { note: request.note }),
  };
}

const STATUS_OF: Record<Exclude<TriageAction, 'note' | 'confirm'>, TriageStatus> = {
  acknowledge: 'acknowledged',
  assign: 'assigned',
  escalate: 'escalated',
  dismiss: 'dismissed',
};

/** Why an entry cannot be applied to a state (a confirmation with nothing pending, or by the proposer); undefined when it can. */
export function triageRefusal(state: TriageState, entry: Pick<TriageEntry, 'action' | 'by'>): string | undefined {
  if (entry.action !== 'confirm') return undefined;
  if (state.proposed === undefined) return 'no dismissal is waiting for confirmation on this alert';
  if (state.proposed.by === entry.by) return `a second analyst must confirm: ${entry.by} proposed this dismissal`;
  return undefined;
}

/**
 * The state after an entry. A note changes nothing but the history; any other action
 * sets the status, so an alert dismissed by mistake can be acknowledged or escalated again.
 * A `pending` dismissal (four-eyes) sets `pending-dismissal` and keeps its reason as
 * `proposed` until a `confirm` by someone else makes it the outcome; any other action
 * withdraws it. Check `triageRefusal` first.
 */
export function applyTriage(state: TriageState, entry: TriageEntry): TriageState {
  const history = [...state.history, entry];
  if (entry.action === 'note') return { ...state, history };
  if (entry.action === 'confirm') {
    const { proposed: _proposed, ...rest } = state;
    return state.proposed === undefined ? { ...rest, history } : { ...rest, status: 'dismissed', outcome: state.proposed.reason, history };
  }
  const pending = entry.action === 'dismiss' && entry.pending === true;
  const next: TriageState = { status: pending ? 'pending-dismissal' : STATUS_OF[entry.action], history };
  const assignee = entry.assignee ?? state.assignee;
  if (assignee !== undefined) next.assignee = assignee;
  if (entry.action === 'dismiss' && entry.reason !== undefined) {
    if (pending) next.proposed = { reason: entry.reason, by: entry.by };
    else next.outcome = entry.reason;
  }
  return next;
}
