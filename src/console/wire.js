// @ts-check
/**
 * The types the page exchanges with `/alerts` (docs/protocol.md). The alert, triage
 * and filter types are the server's own, so `tsc -p src/console` fails when the two
 * drift apart; the messages are spelled out here as the protocol documents them.
 */

/** @typedef {import('../alert/alert.ts').Alert} Alert */
/** @typedef {import('../alert/alert.ts').FiredIndicator} FiredIndicator */
/** @typedef {import('../state/condition.ts').Evidence} Evidence */
/** @typedef {import('../triage/triage.ts').TriageState} TriageState */
/** @typedef {import('../triage/triage.ts').TriageEntry} TriageEntry */
/** @typedef {import('../triage/triage.ts').TriageAction} TriageAction */
/** @typedef {import('../triage/triage.ts').TriageReason} TriageReason */
/** @typedef {import('../push/subscription.ts').SubscriptionFilter} SubscriptionFilter */
/** @typedef {Alert['severity']} Severity */
/** @typedef {Alert['kind']} EventKind */

/**
 * Who the server records this connection's triage as (the token's holder); absent on a
 * processor without authentication.
 * @typedef {{ name: string, role?: string, triage: boolean, exercise?: string | null }} Identity
 */
/** @typedef {{ type: 'welcome', protocol: number, lastSeq: number, firstSeq: number, filter: SubscriptionFilter, you?: Identity }} WelcomeMessage */
/** @typedef {import('../store/alert-log.ts').Muted} Muted */
/** @typedef {{ type: 'alert', seq: number, alert: Alert, triage?: TriageState, muted?: Muted }} AlertMessage */
/** @typedef {{ type: 'heartbeat', lastSeq: number, at: string }} HeartbeatMessage */
/** @typedef {{ type: 'live', lastSeq: number }} LiveMessage */
/** @typedef {{ type: 'gap', from: number, to: number }} GapMessage */
/** @typedef {{ type: 'reset', since: number, lastSeq: number }} ResetMessage */
/** @typedef {{ file: string, line?: number, path?: string, message: string }} RuleProblem */
/** @typedef {{ type: 'rules', status: 'loaded' | 'rejected' | 'unchanged', version: string, previous?: string, rules?: number, problems?: RuleProblem[], fixed?: boolean }} RulesMessage */
/** @typedef {{ type: 'error', requestId?: string, message: string, issues?: { path: string, message: string }[] }} ErrorMessage */
/** @typedef {{ type: 'triage-result', requestId?: string, ok: boolean, seq: number, entry?: TriageEntry }} TriageResultMessage */
/** @typedef {{ type: 'triage', seq: number, alertId: string, entry: TriageEntry, triage: TriageState }} TriageNotice */
/** @typedef {import('../casework/silences.ts').Silence} Silence */
/** @typedef {import('../casework/non-matches.ts').NonMatch} NonMatch */
/**
 * Answers to casework requests (docs/protocol.md, *Casework on /alerts*), and the notices of changes.
 * @typedef {{ type: 'silence-result', requestId?: string, ok: boolean, silence: Silence }
 *   | { type: 'silences', requestId?: string, silences: Silence[] }
 *   | { type: 'non-match-result', requestId?: string, ok: boolean, nonMatch: NonMatch }
 *   | { type: 'non-matches', requestId?: string, nonMatches: NonMatch[] }
 *   | { type: 'queue', requestId?: string, queue: string, items: QueueItem[] }
 *   | { type: 'triage-bulk-result', requestId?: string, results: BulkResult[] }
 *   | { type: 'case-result', requestId?: string, ok: boolean, case: CaseRecord, alerts: CaseAlert[] }
 *   | { type: 'cases', requestId?: string, cases: CaseRecord[] }
 *   | { type: 'subject', requestId?: string, seq: number, keys: Record<string, string | null>, history: HistoryEntry[] }} CaseworkReply
 */
/** @typedef {import('../casework/cases.ts').CaseRecord} CaseRecord */
/** @typedef {import('../casework/subject-history.ts').HistoryEntry} HistoryEntry */
/** @typedef {{ seq: number, alertId: string, severity: Severity, post: string, subject: string, eventTime: string, rules: string[], status: string, triageOutcome?: string }} CaseAlert */
/**
 * One alert of a work queue, in a line (docs/protocol.md, *Work queues*).
 * @typedef {{ seq: number, alertId: string, severity: Severity, post: string, kind: EventKind, subject: string, eventTime: string, status: TriageState['status'], assignee?: string, proposed?: { reason: TriageReason, by: string } }} QueueItem
 */
/** @typedef {{ seq: number, ok: true, entry: TriageEntry } | { seq: number, ok: false, message: string }} BulkResult */
/** @typedef {{ type: 'silence', silence: Silence } | { type: 'non-match', nonMatch: NonMatch } | { type: 'case', case: CaseRecord }} CaseworkNotice */
/**
 * @typedef {WelcomeMessage | AlertMessage | HeartbeatMessage | LiveMessage | GapMessage | ResetMessage | RulesMessage
 *   | ErrorMessage | TriageResultMessage | TriageNotice | CaseworkReply | CaseworkNotice} ServerMessage
 */

/**
 * A triage request as the page sends it (without `type` and `requestId`, which the
 * connection adds). `by` only to a processor without authentication, which cannot tell.
 * @typedef {{ seq: number, action: TriageAction, by?: string, assignee?: string, reason?: TriageReason, note?: string }} TriageRequest
 */

/**
 * An alert as the page holds it: its place in the sequence, its triage so far, and why it
 * was muted (shown only with "show muted").
 * @typedef {{ seq: number, alert: Alert, triage: TriageState, muted?: Muted }} HeldAlert
 */

/** @typedef {{ t: string, value: number, baseline: number, low: number, high: number }} SeriesPoint */
/**
 * What an anomaly detector's evidence holds (`op: 'anomaly'`): the value, the baseline
 * it was compared with, the band counted as normal, and a score; bucketed indicators add
 * the bucket of event time and the key's recent buckets.
 * @typedef {{ value: number, baseline: number, low: number, high: number, score: number, bucket?: { from: string, to: string }, series?: SeriesPoint[] }} AnomalyActual
 */
/** @typedef {{ query: unknown, listed: unknown, similarity: number, rule?: string }} Alignment */
/** @typedef {{ qualifier: string, effect: number, detail: string }} Qualifier */
/**
 * What a watchlist name match's evidence holds (`op: 'watchlist'`): the listed entry, the
 * score, the name parts aligned (and those left over on either side), and each qualifier's
 * effect on the score (date of birth, sex, nationality, ...).
 * @typedef {{ list: string, entry: unknown, score: number, alignments: Alignment[], unmatchedQuery?: string[], unmatchedListed?: string[], qualifiers?: Qualifier[] }} WatchlistActual
 */

/** @type {readonly Severity[]} */
export const SEVERITIES = Object.freeze(['low', 'medium', 'high', 'critical']);

/** @type {readonly EventKind[]} */
export const KINDS = Object.freeze(['crossing', 'cargo']);

/** @type {readonly TriageReason[]} */
export const REASONS = Object.freeze(['true-hit', 'false-positive', 'duplicate', 'other']);

/** @type {TriageState} */
export const NEW_TRIAGE = Object.freeze({ status: 'new', history: [] });

/**
 * @param {unknown} value
 * @returns {value is number}
 */
const isNumber = (value) => typeof value === 'number' && Number.isFinite(value);

/**
 * Whether an evidence value has the anomaly shape; a malformed one is shown generically.
 * @param {unknown} actual
 * @returns {actual is AnomalyActual}
 */
export function isAnomalyActual(actual) {
  if (typeof actual !== 'object' || actual === null) return false;
  const a = /** @type {Record<string, unknown>} */ (actual);
  if (!['value', 'baseline', 'low', 'high', 'score'].every((k) => isNumber(a[k]))) return false;
  if (a.series === undefined) return true;
  return (
    Array.isArray(a.series) &&
    a.series.every(
      (p) => typeof p === 'object' && p !== null && typeof p.t === 'string' && ['value', 'baseline', 'low', 'high'].every((k) => isNumber(p[k])),
    )
  );
}

/**
 * @param {unknown} actual
 * @returns {actual is WatchlistActual}
 */
export function isWatchlistActual(actual) {
  if (typeof actual !== 'object' || actual === null) return false;
  const a = /** @type {Record<string, unknown>} */ (actual);
  const optionalArray = (/** @type {unknown} */ v) => v === undefined || Array.isArray(v);
  return (
    typeof a.list === 'string' &&
    Array.isArray(a.alignments) &&
    a.alignments.every((x) => typeof x === 'object' && x !== null) &&
    optionalArray(a.unmatchedQuery) &&
    optionalArray(a.unmatchedListed) &&
    optionalArray(a.qualifiers) &&
    (a.qualifiers === undefined || /** @type {unknown[]} */ (a.qualifiers).every((q) => typeof q === 'object' && q !== null))
  );
}
