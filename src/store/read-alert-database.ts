import fs from 'node:fs';
import Database from 'better-sqlite3';
import type { Alert } from '../alert/alert.ts';
import { ConfigError } from '../errors.ts';
import type { TriageReason, TriageState } from '../triage/triage.ts';

/**
 * Reading an alert database from outside the processor (rule statistics, backtests
 * against analysts' conclusions, exercise reports, tests): read-only, so the processor
 * may be running, with SQLite's failures told as configuration errors.
 */

/** Per rule: how often it took part in an alert, and what analysts concluded. */
export interface RuleOutcomes {
  ruleId: string;
  alerts: number;
  /** Fired as a shadow rule (counted, not scored). */
  shadow: number;
  triaged: number;
  confirmed: number;
  falsePositives: number;
  duplicates: number;
  other: number;
}

// Live alerts only: a trainee's calls in an exercise are not evidence about a rule.
// An alert nobody has triaged has no triage row: its outcome is NULL and so is the
// comparison, and SUM over only NULLs is NULL, not 0 (\`rules stats\` printed "null").
export const outcomesSql = (scope = 'a.scope'): string => `
  SELECT r.rule_id AS ruleId,
         SUM(r.shadow = 0) AS alerts, SUM(r.shadow = 1) AS shadow,
         SUM(t.outcome IS NOT NULL) AS triaged,
         COALESCE(SUM(t.outcome = 'true-hit'), 0) AS confirmed, COALESCE(SUM(t.outcome = 'false-positive'), 0) AS falsePositives,
         COALESCE(SUM(t.outcome = 'duplicate'), 0) AS duplicates, COALESCE(SUM(t.outcome = 'other'), 0) AS other
  FROM alert_rules r JOIN alerts a ON a.seq = r.seq AND ${scope} = '' LEFT JOIN triage_state t ON t.seq = r.seq
  GROUP BY r.rule_id ORDER BY r.rule_id`;

/** An alert as an alert database holds it, read from outside the processor. */
export interface AlertRecord {
  seq: number;
  /** When the store committed it (wall clock, ISO 8601). */
  createdAt: string;
  alert: Alert;
  /** Null until an analyst first acts on it. */
  triage: TriageState | null;
}

/**
 * Per-rule outcomes read from an alert database without writing to it, so that rule
 * authors can ask while the processor runs; empty when there is no database yet.
 */
export function readRuleOutcomes(file: string): RuleOutcomes[] {
  if (!fs.existsSync(file)) return [];
  return readStoreFile(file, (db) => db.prepare(outcomesSql(scopeOf(db))).all() as RuleOutcomes[]);
}

/**
 * Every alert of one scope (live: '', or an exercise's id) an alert database holds, with
 * its triage, in sequence order, read without writing to it (the processor may be
 * running). A ConfigError when `file` does not exist or is not an alert database.
 */
export function readAlerts(file: string, scope = ''): AlertRecord[] {
  return readStoreFile(file, (db) => {
    const rows = db.prepare(`SELECT a.seq, a.created_at AS createdAt, a.alert, t.state FROM alerts a LEFT JOIN triage_state t ON t.seq = a.seq WHERE ${scopeOf(db)} = ? ORDER BY a.seq`).all(scope) as { seq: number; createdAt: string; alert: string; state: string | null }[];
    return rows.map((r) => ({ seq: r.seq, createdAt: r.createdAt, alert: JSON.parse(r.alert) as Alert, triage: r.state === null ? null : (JSON.parse(r.state) as TriageState) }));
  });
}

/**
 * What analysts concluded about each alert they closed (the dismissal reason), by alert
 * id, in sequence order, read without writing to the database. Alerts still open are left
 * out. A ConfigError when `file` does not exist or is not an alert database.
 */
export function readTriageOutcomes(file: string): Map<string, TriageReason> {
  return readStoreFile(file, (db) => {
    const rows = db.prepare(`SELECT a.alert_id AS alertId, t.outcome FROM alerts a JOIN triage_state t ON t.seq = a.seq WHERE t.outcome IS NOT NULL AND ${scopeOf(db)} = '' ORDER BY a.seq`).all() as { alertId: string; outcome: TriageReason }[];
    return new Map(rows.map((r) => [r.alertId, r.outcome]));
  });
}

/** An alert's scope in a query: a database read (not migrated) from before exercise scopes holds live alerts only. */
function scopeOf(db: Database.Database): string {
  return (db.prepare('PRAGMA table_info(alerts)').all() as { name: string }[]).some((c) => c.name === 'scope') ? 'a.scope' : "''";
}

/** Opens `file` read-only for `read`, with SQLite's failures (not a database, no such table) told as configuration errors. */
function readStoreFile<T>(file: string, read: (db: Database.Database) => T): T {
  if (!fs.existsSync(file)) throw new ConfigError(`no alert database at ${file}`);
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    return read(db);
  } catch (thrown) {
    if (thrown instanceof Database.SqliteError) throw new ConfigError(`cannot read ${file} as an alert database: ${thrown.message}`, { cause: thrown });
    throw thrown;
  } finally {
    db?.close();
  }
}
