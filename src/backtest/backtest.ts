import type { Alert } from '../alert/alert.ts';
import type { PlantedLabel } from '../record/recorded-event.ts';
import { readRecording, type Segment } from '../record/read-recording.ts';
import type { RecordedEvent } from '../record/recorded-event.ts';
import type { Severity } from '../rules/rule-schema.ts';
import type { RuleSet } from '../rules/rule-set.ts';
import { AlertHasher, canonicalJson } from './alert-hash.ts';
import { type ClassRate, ClassRates, countsAgainstBudget } from './class-rates.ts';
import { RuleHitCounter } from './rule-hits.ts';
import { runRules } from './run-rules.ts';
import type { ReferralOutcome } from '../casework/cases.ts';
import { referralVerdict } from '../casework/referrals.ts';
import type { Outcome } from './triage-outcomes.ts';

export interface BacktestOptions {
  ruleSet: RuleSet;
  /** The rule set to compare with: alerts added, removed and changed. */
  baseline?: RuleSet;
  /** Recording files or directories, run as one stream in the order given. */
  recordings: readonly string[];
  /** Analysts' conclusions by alert id (from an alert database). */
  outcomes?: ReadonlyMap<string, Outcome>;
  /** Referral outcomes of recorded alerts by alert id (cases in an alert database): what happened after referral. */
  referrals?: ReadonlyMap<string, ReferralOutcome>;
  /** Examples shown of each kind of difference. @default 5 */
  examples?: number;
  /** Called with the events read so far, every 1,000 events, for each run (the rule set's, then the baseline's). */
  onProgress?: (events: number, run: 'rules' | 'baseline') => void;
}

/** An alert in a line: enough to find it and see why it differs. */
export interface AlertBrief {
  alertId: string;
  eventTime: string;
  post: string;
  severity: Severity;
  score: number;
  indicators: string[];
  subject: string;
}

export interface BacktestReport {
  recordings: string[];
  events: number;
  incompleteSegments: { file: string; problem: string }[];
  ruleSetVersion: string;
  alerts: number;
  /** SHA-256 of the alert stream (canonical JSON of each alert, in order): equal hashes, identical alerts. */
  hash: string;
  late: number;
  faults: number;
  /**
   * Per rule: `hits`, every event it fired on (an alert or not); `alerts`, the alerts it
   * took part in; `shadow`, alerts it fired in as a shadow rule; and the baseline's.
   */
  rules: {
    ruleId: string;
    hits: number;
    alerts: number;
    shadow: number;
    /** Medium-or-higher alerts it took part in about events that are not planted cases. */
    falseAlerts: number;
    /** `falseAlerts` per 1,000 events of the recording. */
    falseAlertsPerThousand: number;
    baselineHits?: number;
    baselineAlerts?: number;
  }[];
  /**
   * Per traffic class (from the recording's labels; `(unlabelled)` for events without
   * one), and `all`: ordinary events and the alerts about them, medium or higher per
   * 1,000 being what the false-alert budget counts. Only when some event has a class.
   */
  classes?: ClassRate[];
  /** Per day (the post's local date, from the event time's own offset) and severity. */
  days: { day: string; low: number; medium: number; high: number; critical: number; total: number }[];
  baseline?: {
    ruleSetVersion: string;
    alerts: number;
    hash: string;
    added: number;
    removed: number;
    /** Raised by both, with a different content (score, severity, indicators, evidence). */
    changed: number;
    examples: { added: AlertBrief[]; removed: AlertBrief[]; changed: { before: AlertBrief; after: AlertBrief }[] };
  };
  /** Against the planted cases labelled in the recording, when it has any. */
  planted?: {
    cases: number;
    found: number;
    recall: number;
    /** Alerts that are about a planted case, of all alerts (ordinary traffic raises true alerts too, so this is a floor). */
    precision: number;
    byCase: {
      case: string;
      planted: number;
      found: number;
      recall: number;
      /** The indicators the case must trip. */
      indicators: string[];
      /** Of those, the ones whose weight alone reaches the alert threshold: the case alerts on any one of them. */
      alertsAlone: string[];
    }[];
    missed: PlantedLabel[];
  };
  /** Against analysts' triage outcomes, when an alert database was given. */
  triage?: {
    concluded: number;
    trueHits: number;
    /** Alerts analysts confirmed that this rule set raises again. */
    trueHitsRaised: number;
    falsePositives: number;
    falsePositivesRaised: number;
    recall: number | null;
    precision: number | null;
  };
  /**
   * Against referral outcomes, when an alert database with cases was given: the alerts
   * whose referral found something (refused entry, secondary positive, seizure) and those
   * whose did not (secondary negative, released), and how many of each this rule set raises.
   */
  referrals?: {
    referred: number;
    positives: number;
    positivesRaised: number;
    negatives: number;
    negativesRaised: number;
    recall: number | null;
    precision: number | null;
  };
}

const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;

export function brief(alert: Alert): AlertBrief {
  return { alertId: alert.alertId, eventTime: alert.eventTime, post: alert.post, severity: alert.severity, score: alert.score, indicators: alert.indicators.map((i) => i.id), subject: alert.subject };
}

function* events(recordings: readonly string[], onIncomplete: (s: Segment) => void, onLabel?: (label: PlantedLabel) => void, classes?: ClassRates, onProgress?: (events: number) => void): Generator<RecordedEvent> {
  let read = 0;
  for (const recording of recordings) {
    for (const recorded of readRecording(recording, { onIncomplete })) {
      if (++read % 1000 === 0) onProgress?.(read);
      if (recorded.label) onLabel?.(recorded.label);
      classes?.observe(recorded.event.eventId, recorded.trafficClass, recorded.label !== undefined);
      yield recorded;
    }
  }
}

/** An alert is about a planted case when it names every indicator the case must trip, on the case's event (or, for a bucket alert, at its post within the hour). */
export function matchesPlanted(alert: Alert, label: Pick<PlantedLabel, 'eventId' | 'eventTime' | 'post' | 'indicators'>): boolean {
  if (!label.indicators.every((id) => alert.indicators.some((i) => i.id === id))) return false;
  if (alert.eventId === label.eventId) return true;
  return alert.trigger === 'bucket' && alert.post === label.post && Math.abs(Date.parse(alert.eventTime) - Date.parse(label.eventTime)) <= 3_600_000;
}

function alertsByEvent(alerts: readonly Alert[]): { byEvent: Map<string, Alert[]>; buckets: Alert[] } {
  const byEvent = new Map<string, Alert[]>();
  const buckets: Alert[] = [];
  for (const alert of alerts) {
    (byEvent.get(alert.eventId) ?? byEvent.set(alert.eventId, []).get(alert.eventId)!).push(alert);
    if (alert.trigger === 'bucket') buckets.push(alert);
  }
  return { byEvent, buckets };
}

/** The alerts that are about a planted case (each case's matching alerts). */
function plantedAlerts(alerts: readonly Alert[], labels: readonly PlantedLabel[]): Set<Alert> {
  const out = new Set<Alert>();
  if (labels.length === 0) return out;
  const { byEvent, buckets } = alertsByEvent(alerts);
  for (const label of labels) for (const a of [...(byEvent.get(label.eventId) ?? []), ...buckets]) if (matchesPlanted(a, label)) out.add(a);
  return out;
}

/** Runs the rule set (and the baseline) over the recordings and compares. */
export function backtest(options: BacktestOptions): BacktestReport {
  const { ruleSet, baseline, recordings, outcomes, referrals, examples = 5, onProgress } = options;
  const incomplete = new Map<string, string>();
  const onIncomplete = (s: Segment): void => void incomplete.set(s.file, s.problem ?? 'incomplete');
  const labels: PlantedLabel[] = [];
  const hasher = new AlertHasher();
  const counter = new RuleHitCounter(ruleSet);
  const classes = new ClassRates();
  const run = runRules(ruleSet, events(recordings, onIncomplete, (l) => labels.push(l), classes, onProgress && ((n) => onProgress(n, 'rules'))), (a) => hasher.update(a), (a) => counter.count(a));

  type RuleRow = { hits: number; alerts: number; shadow: number; falseAlerts: number; baselineHits: number; baselineAlerts: number };
  const perRule = new Map<string, RuleRow>();
  const ruleRow = (id: string): RuleRow => perRule.get(id) ?? perRule.set(id, { hits: 0, alerts: 0, shadow: 0, falseAlerts: 0, baselineHits: 0, baselineAlerts: 0 }).get(id)!;
  const onPlanted = plantedAlerts(run.alerts, labels);
  const plantedEvents = new Set(labels.map((l) => l.eventId));
  const ordinary = run.alerts.filter((alert) => !onPlanted.has(alert) && !plantedEvents.has(alert.eventId));
  classes.alerts(ordinary);
  for (const alert of ordinary) if (countsAgainstBudget(alert)) for (const i of alert.indicators) ruleRow(i.id).falseAlerts += 1;
  for (const [id, hits] of counter.hits) ruleRow(id).hits = hits;
  const days = new Map<string, Record<Severity, number>>();
  for (const alert of run.alerts) {
    for (const i of alert.indicators) ruleRow(i.id).alerts += 1;
    for (const id of alert.shadowIndicators) ruleRow(id).shadow += 1;
    const day = alert.eventTime.slice(0, 10);
    const row = days.get(day) ?? days.set(day, { low: 0, medium: 0, high: 0, critical: 0 }).get(day)!;
    row[alert.severity] += 1;
  }

  const report: BacktestReport = {
    recordings: [...recordings],
    events: run.events,
    incompleteSegments: [],
    ruleSetVersion: ruleSet.version,
    alerts: run.alerts.length,
    hash: hasher.digest(),
    late: run.metrics.late,
    faults: run.faults.length,
    rules: [],
    days: [...days.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([day, c]) => ({ day, ...c, total: SEVERITIES.reduce((s, k) => s + c[k], 0) })),
  };

  if (baseline) {
    const baseHasher = new AlertHasher();
    const baseCounter = new RuleHitCounter(baseline);
    const base = runRules(baseline, events(recordings, onIncomplete, undefined, undefined, onProgress && ((n) => onProgress(n, 'baseline'))), (a) => baseHasher.update(a), (a) => baseCounter.count(a));
    for (const [id, hits] of baseCounter.hits) ruleRow(id).baselineHits = hits;
    for (const alert of base.alerts) for (const i of alert.indicators) ruleRow(i.id).baselineAlerts += 1;
    const before = new Map(base.alerts.map((a) => [a.alertId, a]));
    const after = new Map(run.alerts.map((a) => [a.alertId, a]));
    const added = run.alerts.filter((a) => !before.has(a.alertId));
    const removed = base.alerts.filter((a) => !after.has(a.alertId));
    // The rule-set version differs by construction; a change is in what the alert says.
    const content = (a: Alert): string => canonicalJson({ ...a, ruleSetVersion: '' });
    const changed = run.alerts.flatMap((a) => {
      const b = before.get(a.alertId);
      return b && content(a) !== content(b) ? [{ before: brief(b), after: brief(a) }] : [];
    });
    report.baseline = {
      ruleSetVersion: baseline.version,
      alerts: base.alerts.length,
      hash: baseHasher.digest(),
      added: added.length,
      removed: removed.length,
      changed: changed.length,
      examples: { added: added.slice(0, examples).map(brief), removed: removed.slice(0, examples).map(brief), changed: changed.slice(0, examples) },
    };
  }
  const perThousand = (n: number): number => (run.events > 0 ? (1000 * n) / run.events : 0);
  report.rules = [...perRule.entries()].map(([ruleId, r]) => {
    const row = { ruleId, hits: r.hits, alerts: r.alerts, shadow: r.shadow, falseAlerts: r.falseAlerts, falseAlertsPerThousand: perThousand(r.falseAlerts) };
    return baseline ? { ...row, baselineHits: r.baselineHits, baselineAlerts: r.baselineAlerts } : row;
  });
  if (classes.labelled) report.classes = classes.report();
  report.incompleteSegments = [...incomplete.entries()].map(([file, problem]) => ({ file, problem }));

  if (labels.length > 0) {
    const { byEvent, buckets } = alertsByEvent(run.alerts);
    const missed: PlantedLabel[] = [];
    const byCase = new Map<string, { planted: number; found: number; indicators: string[] }>();
    for (const label of labels) {
      const hits = [...(byEvent.get(label.eventId) ?? []), ...buckets].filter((a) => matchesPlanted(a, label));
      const row = byCase.get(label.case) ?? byCase.set(label.case, { planted: 0, found: 0, indicators: label.indicators }).get(label.case)!;
      row.planted += 1;
      if (hits.length > 0) row.found += 1;
      else missed.push(label);
    }
    const weightOf = new Map(ruleSet.rules.map((rule) => [rule.def.id, rule.def.shadow ? 0 : rule.def.weight]));
    const found = labels.length - missed.length;
    report.planted = {
      cases: labels.length,
      found,
      recall: found / labels.length,
      precision: run.alerts.length > 0 ? onPlanted.size / run.alerts.length : 0,
      byCase: [...byCase.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([c, r]) => ({
          case: c,
          planted: r.planted,
          found: r.found,
          recall: r.found / r.planted,
          indicators: r.indicators,
          alertsAlone: r.indicators.filter((id) => (weightOf.get(id) ?? 0) >= ruleSet.scoring.threshold),
        })),
      missed: missed.slice(0, examples),
    };
  }

  if (outcomes) {
    const raised = new Set(run.alerts.map((a) => a.alertId));
    let trueHits = 0;
    let trueHitsRaised = 0;
    let falsePositives = 0;
    let falsePositivesRaised = 0;
    for (const [alertId, outcome] of outcomes) {
      if (outcome === 'true-hit') {
        trueHits += 1;
        if (raised.has(alertId)) trueHitsRaised += 1;
      } else if (outcome === 'false-positive') {
        falsePositives += 1;
        if (raised.has(alertId)) falsePositivesRaised += 1;
      }
    }
    const judged = trueHitsRaised + falsePositivesRaised;
    report.triage = {
      concluded: outcomes.size,
      trueHits,
      trueHitsRaised,
      falsePositives,
      falsePositivesRaised,
      recall: trueHits > 0 ? trueHitsRaised / trueHits : null,
      precision: judged > 0 ? trueHitsRaised / judged : null,
    };
  }
  if (referrals) {
    const raised = new Set(run.alerts.map((a) => a.alertId));
    let positives = 0;
    let positivesRaised = 0;
    let negatives = 0;
    let negativesRaised = 0;
    for (const [alertId, outcome] of referrals) {
      const verdict = referralVerdict(outcome);
      if (verdict === 'positive') {
        positives += 1;
        if (raised.has(alertId)) positivesRaised += 1;
      } else if (verdict === 'negative') {
        negatives += 1;
        if (raised.has(alertId)) negativesRaised += 1;
      }
    }
    const judged = positivesRaised + negativesRaised;
    report.referrals = { referred: referrals.size, positives, positivesRaised, negatives, negativesRaised, recall: positives > 0 ? positivesRaised / positives : null, precision: judged > 0 ? positivesRaised / judged : null };
  }
  return report;
}
