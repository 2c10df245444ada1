import { matchesPlanted } from '../backtest/backtest.ts';
import type { Manifest } from './manifest.ts';
import type { SessionAlert } from './session-alerts.ts';
import { type TraineeScore, traineeScores } from './trainee-scores.ts';

/** How a trainee handled one alert: the triage status, the conclusion and how long the first action took. */
export interface Handling {
  seq: number;
  alertId: string;
  severity: string;
  status: string;
  /** The dismissal reason, or null while not concluded. */
  outcome: string | null;
  /** From the alert being stored to the first triage action, ms; null when untouched. */
  timeToTriageMs: number | null;
  by: string | null;
}

export interface CaseResult {
  id: string;
  case: string;
  eventId: string;
  post: string;
  eventTime: string;
  found: boolean;
  alert?: Handling;
  /** True when the trainee confirmed or escalated it, false when dismissed as a false positive, null while undecided. */
  correct: boolean | null;
}

export interface ExerciseReport {
  title: string;
  /** Alerts of the session within the exercise's time span. */
  alerts: number;
  cases: CaseResult[];
  found: number;
  missed: number;
  /** Alerts that are about no planted case. */
  falseAlarms: { count: number; triaged: number; dismissedAsFalsePositive: number; examples: Handling[] };
  timeToTriage: {
    /** Over the alerts of planted cases that were triaged. */
    casesMedianMs: number | null;
    casesMaxMs: number | null;
    /** Over every triaged alert of the session. */
    allMedianMs: number | null;
    triaged: number;
    untriaged: number;
  };
  /** Each trainee's calls against the planted truth, misses and time to triage, by name. */
  trainees: TraineeScore[];
}

function handling(s: SessionAlert): Handling {
  const first = s.triage?.history[0];
  return {
    seq: s.seq,
    alertId: s.alert.alertId,
    severity: s.alert.severity,
    status: s.triage?.status ?? 'new',
    outcome: s.triage?.outcome ?? null,
    timeToTriageMs: first ? Math.max(0, Date.parse(first.at) - Date.parse(s.createdAt)) : null,
    by: first?.by ?? null,
  };
}

const median = (xs: number[]): number | null => {
  if (xs.length === 0) return null;
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/**
 * Compares what a training session raised and how it was triaged with the exercise's
 * planted cases: which were found (an alert naming every indicator the case needs),
 * which were missed, the alerts about no planted case, and how long triage took.
 */
export function exerciseReport(manifest: Manifest, sessionAlerts: readonly SessionAlert[], examples = 5): ExerciseReport {
  const from = Date.parse(manifest.from);
  const to = Date.parse(manifest.to);
  const inSpan = sessionAlerts.filter((s) => {
    const t = Date.parse(s.alert.eventTime);
    return t >= from && t <= to;
  });
  const aboutCase = new Set<SessionAlert>();
  const caseOf = new Map<number, string>();
  const cases: CaseResult[] = manifest.plantedCases.map((c) => {
    const hit = inSpan.find((s) => s.alert.alertId === c.expectedAlertId && matchesPlanted(s.alert, c)) ?? inSpan.find((s) => matchesPlanted(s.alert, c));
    const result: CaseResult = { id: c.id, case: c.case, eventId: c.eventId, post: c.post, eventTime: c.eventTime, found: hit !== undefined, correct: null };
    if (hit) {
      aboutCase.add(hit);
      // Repeats of a grouped alert and other alerts on the case's event belong to it too.
      for (const s of inSpan) if (s.alert.eventId === c.eventId) aboutCase.add(s);
      for (const s of [hit, ...inSpan.filter((s) => s.alert.eventId === c.eventId)]) caseOf.set(s.seq, c.id);
      result.alert = handling(hit);
      const status = hit.triage?.status;
      if (hit.triage?.outcome === 'true-hit' || status === 'escalated') result.correct = true;
      else if (hit.triage?.outcome === 'false-positive') result.correct = false;
    }
    return result;
  });
  const others = inSpan.filter((s) => !aboutCase.has(s)).map(handling);
  const triagedCases = cases.flatMap((c) => (c.alert?.timeToTriageMs === null || c.alert === undefined ? [] : [c.alert.timeToTriageMs]));
  const all = inSpan.map(handling);
  const triagedAll = all.flatMap((h) => (h.timeToTriageMs === null ? [] : [h.timeToTriageMs]));
  return {
    title: manifest.title,
    alerts: inSpan.length,
    cases,
    found: cases.filter((c) => c.found).length,
    missed: cases.filter((c) => !c.found).length,
    falseAlarms: {
      count: others.length,
      triaged: others.filter((h) => h.timeToTriageMs !== null).length,
      dismissedAsFalsePositive: others.filter((h) => h.outcome === 'false-positive').length,
      examples: others.slice(0, examples),
    },
    timeToTriage: {
      casesMedianMs: median(triagedCases),
      casesMaxMs: triagedCases.length > 0 ? Math.max(...triagedCases) : null,
      allMedianMs: median(triagedAll),
      triaged: triagedAll.length,
      untriaged: all.length - triagedAll.length,
    },
    trainees: traineeScores(inSpan, caseOf, cases.filter((c) => c.found).map((c) => c.id)),
  };
}
