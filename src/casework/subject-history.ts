import type Database from 'better-sqlite3';
import type { Alert } from '../alert/alert.ts';
import type { TriageState, TriageStatus } from '../triage/triage.ts';
import type { Cases, ReferralOutcome } from './cases.ts';

/** How an earlier alert is about the same subject. */
type Link = 'document' | 'person' | 'vehicle';

/** One earlier alert about the subject, with what became of it. */
export interface HistoryEntry {
  seq: number;
  alertId: string;
  eventTime: string;
  post: string;
  severity: string;
  subject: string;
  rules: string[];
  /** Which of the alert's keys it shares: the document (or consignee), the person, the vehicle. */
  via: Link[];
  status: TriageStatus;
  /** The triage conclusion, if dismissed. */
  triageOutcome?: string;
  /** The cases it is in, with their referral outcomes. */
  cases: { id: string; title: string; status: string; outcome?: ReferralOutcome }[];
  muted?: true;
}

export interface SubjectHistory {
  seq: number;
  keys: { subject: string | null; person: string | null; vehicle: string | null };
  history: HistoryEntry[];
  /** The alert itself, for masking what is sent about it. */
  alert: Alert;
}

/** Earlier alerts looked at per subject panel: the newest are what an analyst reads. */
const LIMIT = 100;

/**
 * The subject panel's data: earlier alerts (lower seq) sharing the alert's document (or,
 * for cargo, consignee), person (folded names and date of birth) or vehicle, newest first,
 * with their triage and their cases' referral outcomes. Reads the keys indexed at store time.
 */
export function subjectHistory(db: Database.Database, cases: Cases): (seq: number) => SubjectHistory | undefined {
  const keys = db.prepare('SELECT alert, subject_key AS subject, person_key AS person, vehicle_key AS vehicle FROM alerts WHERE seq = ?');
  const earlier = db.prepare(
    `SELECT a.seq, a.alert, a.muted, a.subject_key AS subject, a.person_key AS person, a.vehicle_key AS vehicle, t.state
     FROM alerts a LEFT JOIN triage_state t ON t.seq = a.seq
     WHERE a.seq < ? AND a.scope = '' AND (a.subject_key = ? OR a.person_key = ? OR a.vehicle_key = ?)
     ORDER BY a.seq DESC LIMIT ?`,
  );
  return (seq) => {
    const own = keys.get(seq) as { alert: string; subject: string | null; person: string | null; vehicle: string | null } | undefined;
    if (!own) return undefined;
    const rows = earlier.all(seq, own.subject, own.person, own.vehicle, LIMIT) as { seq: number; alert: string; muted: string | null; subject: string | null; person: string | null; vehicle: string | null; state: string | null }[];
    const history = rows.map((r): HistoryEntry => {
      const alert = JSON.parse(r.alert) as Alert;
      const triage = r.state === null ? undefined : (JSON.parse(r.state) as TriageState);
      const via: Link[] = [];
      if (own.subject !== null && r.subject === own.subject) via.push('document');
      if (own.person !== null && r.person === own.person) via.push('person');
      if (own.vehicle !== null && r.vehicle === own.vehicle) via.push('vehicle');
      return {
        seq: r.seq,
        alertId: alert.alertId,
        eventTime: alert.eventTime,
        post: alert.post,
        severity: alert.severity,
        subject: alert.subject,
        rules: alert.indicators.map((i) => i.id),
        via,
        status: triage?.status ?? 'new',
        ...(triage?.outcome !== undefined && { triageOutcome: triage.outcome }),
        cases: cases.ofAlert(r.seq).map((c) => ({ id: c.id, title: c.title, status: c.status, ...(c.outcome !== undefined && { outcome: c.outcome }) })),
        ...(r.muted !== null && { muted: true as const }),
      };
    });
    return { seq, keys: { subject: own.subject, person: own.person, vehicle: own.vehicle }, history, alert: JSON.parse(own.alert) as Alert };
  };
}
