import type Database from 'better-sqlite3';
import { ConfigError } from '../errors.ts';

/**
 * One numbered step of the alert database's schema. `up` runs in a transaction with the
 * new `PRAGMA user_version`, so a step is applied whole or not at all, and a database is
 * never left between two versions.
 */
export interface Migration {
  version: number;
  /** What the step adds, for the log and for error messages. */
  name: string;
  up(db: Database.Database): void;
}

/**
 * Version 1 is the schema as it stood before numbered migrations: tables created if
 * missing, so that a database made by any earlier release (whose `user_version` is 0)
 * is taken as it is, with the one column added later (`depersonalised_at`) added if absent.
 */
const BASELINE = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS alerts (
  seq INTEGER PRIMARY KEY,
  alert_id TEXT NOT NULL,
  event_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  post TEXT NOT NULL,
  severity TEXT NOT NULL,
  event_time TEXT NOT NULL,
  rule_set_version TEXT NOT NULL,
  created_at TEXT NOT NULL,
  alert TEXT NOT NULL,
  -- Set once retention has replaced the alert's personal data (null: it still has it).
  depersonalised_at TEXT
);
CREATE UNIQUE INDEX IF NOT EXISTS alerts_by_alert_id ON alerts (alert_id);
CREATE TABLE IF NOT EXISTS alert_rules (
  seq INTEGER NOT NULL,
  rule_id TEXT NOT NULL,
  shadow INTEGER NOT NULL,
  PRIMARY KEY (seq, rule_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS alert_rules_by_rule ON alert_rules (rule_id);
CREATE TABLE IF NOT EXISTS triage (
  id INTEGER PRIMARY KEY,
  seq INTEGER NOT NULL,
  action TEXT NOT NULL,
  by TEXT NOT NULL,
  at TEXT NOT NULL,
  assignee TEXT,
  reason TEXT,
  note TEXT
);
CREATE INDEX IF NOT EXISTS triage_by_seq ON triage (seq);
CREATE TABLE IF NOT EXISTS triage_state (
  seq INTEGER PRIMARY KEY,
  status TEXT NOT NULL,
  outcome TEXT,
  state TEXT NOT NULL
);
`;

/** The alert database's migrations, oldest first. Append new steps; never edit one that has shipped. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'alerts, rules fired, triage log and state, meta',
    up(db) {
      db.exec(BASELINE);
      const columns = db.prepare('PRAGMA table_info(alerts)').all() as { name: string }[];
      if (!columns.some((c) => c.name === 'depersonalised_at')) db.exec('ALTER TABLE alerts ADD COLUMN depersonalised_at TEXT');
      // Holds only the alerts still carrying personal data: a retention run finds them without a scan.
      db.exec('CREATE INDEX IF NOT EXISTS alerts_with_personal_data ON alerts (created_at) WHERE depersonalised_at IS NULL');
    },
  },
];

/** The schema version this code writes. */
export function latestVersion(migrations: readonly Migration[] = MIGRATIONS): number {
  return migrations.at(-1)?.version ?? 0;
}

/** The database's schema version (`PRAGMA user_version`; 0 for one made before migrations were numbered). */
export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Brings `db` up to the newest migration, one step per transaction, and says which steps
 * ran. A database newer than this code (opened by an older release after an upgrade) is
 * refused with a ConfigError rather than written by code that does not know its tables.
 */
export function migrate(db: Database.Database, file: string, migrations: readonly Migration[] = MIGRATIONS): Migration[] {
  const latest = latestVersion(migrations);
  const current = schemaVersion(db);
  if (current > latest) throw new ConfigError(`${file} has schema version ${current}, newer than this release knows (${latest}): run the release that wrote it, or a later one`);
  const applied: Migration[] = [];
  for (const step of migrations) {
    if (step.version <= current) continue;
    db.transaction(() => {
      step.up(db);
      db.pragma(`user_version = ${step.version}`);
    })();
    applied.push(step);
  }
  return applied;
}
