import type { TriageEntry } from '../triage/triage.ts';
import type { SessionAlert } from './session-alerts.ts';

/**
 * How one trainee did (everyone who triaged in the exercise's scope is a trainee there:
 * the server refuses anyone else's triage of an exercise alert). A call is the trainee's
 * last escalation or dismissal of an alert: escalating, or dismissing as a true hit, an
 * alert about a planted case is a correct escalation, dismissing it as a false positive a
 * wrong dismissal; dismissing an alert about no planted case as a false positive is a
 * correct dismissal, escalating it a wrong escalation.
 */
export interface TraineeScore {
  by: string;
  /** Alerts the trainee acted on at all (any action, a note included). */
  triaged: number;
  correctEscalations: number;
  wrongEscalations: number;
  correctDismissals: number;
  wrongDismissals: number;
  /** Planted cases whose alert was raised but on which this trainee took no action. */
  missed: number;
  missedCases: string[];
  /** From an alert being stored to the trainee's first action on it, ms, over the alerts it acted on. */
  timeToTriage: { medianMs: number | null; p90Ms: number | null; maxMs: number | null };
}

/** The q-quantile of sorted values, nearest rank (p90 of 10 values is the 9th). */
export function quantile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** The trainee's decisive entry on an alert: its last escalation or dismissal (a dismissal confirmed by another counts as proposed). */
function callOf(entries: readonly TriageEntry[]): TriageEntry | undefined {
  return entries.findLast((e) => e.action === 'escalate' || e.action === 'dismiss');
}

/**
 * Scores each trainee against the planted truth. `caseOf` maps the seq of every alert
 * about a planted case (the case's alert and repeats on its event) to the case's id;
 * `raisedCases` are the ids of the cases an alert was raised for.
 */
export function traineeScores(alerts: readonly SessionAlert[], caseOf: ReadonlyMap<number, string>, raisedCases: readonly string[]): TraineeScore[] {
  const byTrainee = new Map<string, Map<SessionAlert, TriageEntry[]>>();
  for (const alert of alerts) {
    for (const entry of alert.triage?.history ?? []) {
      let mine = byTrainee.get(entry.by);
      if (!mine) byTrainee.set(entry.by, (mine = new Map()));
      const entries = mine.get(alert) ?? [];
      entries.push(entry);
      mine.set(alert, entries);
    }
  }
  return [...byTrainee].sort(([a], [b]) => a.localeCompare(b)).map(([by, mine]): TraineeScore => {
    const score: TraineeScore = { by, triaged: mine.size, correctEscalations: 0, wrongEscalations: 0, correctDismissals: 0, wrongDismissals: 0, missed: 0, missedCases: [], timeToTriage: { medianMs: null, p90Ms: null, maxMs: null } };
    const actedOnCases = new Set<string>();
    const times: number[] = [];
    for (const [alert, entries] of mine) {
      times.push(Math.max(0, Date.parse(entries[0]!.at) - Date.parse(alert.createdAt)));
      const planted = caseOf.get(alert.seq);
      if (planted !== undefined) actedOnCases.add(planted);
      const call = callOf(entries);
      if (!call) continue;
      const escalates = call.action === 'escalate' || call.reason === 'true-hit';
      const dismissesAsFalse = call.action === 'dismiss' && call.reason === 'false-positive';
      if (planted !== undefined) {
        if (escalates) score.correctEscalations += 1;
        else if (dismissesAsFalse) score.wrongDismissals += 1;
      } else if (escalates) score.wrongEscalations += 1;
      else if (dismissesAsFalse) score.correctDismissals += 1;
    }
    score.missedCases = raisedCases.filter((id) => !actedOnCases.has(id));
    score.missed = score.missedCases.length;
    times.sort((a, b) => a - b);
    score.timeToTriage = { medianMs: quantile(times, 0.5), p90Ms: quantile(times, 0.9), maxMs: times.at(-1) ?? null };
    return score;
  });
}
