import type Database from 'better-sqlite3';
import type { Alert } from '../alert/alert.ts';
import type { SubjectKeys } from '../alert/subject-keys.ts';
import type { Severity } from '../rules/rule-schema.ts';
import { type InhibitRule, matcherTakes, severityRank } from '../rules/scoring-config.ts';
import type { Muted } from '../store/alert-log.ts';

/** Stored alerts about one subject looked at per inhibition check: the newest are the ones that count. */
const LOOK_BACK = 50;

/**
 * Inhibition as the alert store applies it (`scoring.yaml`'s `inhibit`): the newest
 * stored alert about the same subject, within the rule's event-time span, that the
 * rule's source takes and that is more severe than this one. Alerts are few beside
 * events, and the query reads an index on (subject, event time).
 */
export function inhibitor(db: Database.Database): (rules: readonly InhibitRule[], alert: Alert, keys: SubjectKeys, eventMs: number) => Muted | undefined {
  const near = db.prepare(`SELECT seq, alert_id AS alertId, severity, alert FROM alerts WHERE scope = '' AND subject_key = ? AND event_ms BETWEEN ? AND ? ORDER BY seq DESC LIMIT ?`);
  return (rules, alert, keys, eventMs) => {
    for (const rule of rules) {
      if (!matcherTakes(rule.target, alert.severity, alert.indicators)) continue;
      const rows = near.all(keys.subject, eventMs - rule.within, eventMs + rule.within, LOOK_BACK) as { seq: number; alertId: string; severity: Severity; alert: string }[];
      for (const row of rows) {
        if (row.alertId === alert.alertId || severityRank(row.severity) <= severityRank(alert.severity)) continue;
        const source = JSON.parse(row.alert) as Alert;
        if (matcherTakes(rule.source, source.severity, source.indicators)) return { by: 'inhibition', seq: row.seq, alertId: row.alertId, severity: row.severity };
      }
    }
    return undefined;
  };
}
