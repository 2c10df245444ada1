import type Database from 'better-sqlite3';
import type { Alert } from '../alert/alert.ts';
import { subjectKeys } from '../alert/subject-keys.ts';
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
  {
    version: 2,
    name: 'subject keys and muting of alerts; silences, confirmed non-matches, casework log',
    up(db) {
      db.exec(CASEWORK_V2);
      // Alerts already held get their keys from their own JSON, so that silences, inhibition
      // and the subject panel see them like new ones.
      let last: { json: string; keys: ReturnType<typeof keysOf> } | undefined;
      const keys = (json: string) => {
        if (last?.json !== json) last = { json, keys: keysOf(json) };
        return last.keys;
      };
      db.function('br_key', { deterministic: true }, (json, i) => keys(String(json))[Number(i)] ?? null);
      db.exec('UPDATE alerts SET subject_key = br_key(alert, 0), person_key = br_key(alert, 1), vehicle_key = br_key(alert, 2), event_ms = br_key(alert, 3)');
    },
  },
  {
    version: 3,
    name: 'work queues (assignee and status of triage indexed), four-eyes dismissals',
    up(db) {
      db.exec(`
        ALTER TABLE triage ADD COLUMN pending INTEGER;
        ALTER TABLE triage_state ADD COLUMN assignee TEXT;
        UPDATE triage_state SET assignee = json_extract(state, '$.assignee');
        CREATE INDEX triage_state_by_status ON triage_state (status);
        CREATE INDEX triage_state_by_assignee ON triage_state (assignee) WHERE assignee IS NOT NULL;
      `);
    },
  },
  {
    version: 4,
    name: 'cases: alerts gathered, notes, status and referral outcome',
    up(db) {
      db.exec(`
        CREATE TABLE cases (
          id TEXT PRIMARY KEY,
          title TEXT NOT NULL,
          status TEXT NOT NULL,
          outcome TEXT,
          created_by TEXT NOT NULL,
          created_at TEXT NOT NULL,
          updated_at TEXT NOT NULL
        );
        CREATE TABLE case_alerts (
          case_id TEXT NOT NULL,
          seq INTEGER NOT NULL,
          added_by TEXT NOT NULL,
          added_at TEXT NOT NULL,
          PRIMARY KEY (case_id, seq)
        ) WITHOUT ROWID;
        CREATE INDEX case_alerts_by_seq ON case_alerts (seq);
        CREATE TABLE case_notes (
          id INTEGER PRIMARY KEY,
          case_id TEXT NOT NULL,
          by TEXT NOT NULL,
          at TEXT NOT NULL,
          note TEXT NOT NULL
        );
        CREATE INDEX case_notes_by_case ON case_notes (case_id);
      `);
    },
  },
  {
    version: 5,
    name: 'notifications: each delivery to a receiver, sent or failed (dead letter)',
    up(db) {
      db.exec(`
        CREATE TABLE notifications (
          id INTEGER PRIMARY KEY,
          at TEXT NOT NULL,
          receiver TEXT NOT NULL,
          channel TEXT NOT NULL,
          kind TEXT NOT NULL,
          seqs TEXT NOT NULL,
          status TEXT NOT NULL,
          attempts INTEGER NOT NULL,
          error TEXT
        );
        CREATE INDEX notifications_failed ON notifications (status) WHERE status = 'failed';
      `);
    },
  },
  {
    version: 6,
    name: 'exercise scope: alerts raised by an exercise kept apart from live ones',
    up(db) {
      // '' is live; an exercise's alerts carry its id. Not NULL: a unique index treats NULLs
      // as distinct, and a live alert id must stay unique. The same exercise run twice (two
      // sessions) raises the same alert ids, each in its own scope.
      db.exec(`
        ALTER TABLE alerts ADD COLUMN scope TEXT NOT NULL DEFAULT '';
        DROP INDEX alerts_by_alert_id;
        CREATE UNIQUE INDEX alerts_by_scope_alert_id ON alerts (scope, alert_id);
      `);
    },
  },
  {
    version: 7,
    name: 'dashboard: when each alert was first acted on, backlog and time-to-acknowledge indexes',
    up(db) {
      // Kept on the alert (set by the first triage action that is not a note) so that the
      // dashboard reads two small indexes instead of joining every alert to its triage: the
      // backlog index holds only the open alerts, however many are stored.
      db.exec(`
        ALTER TABLE alerts ADD COLUMN first_action_at TEXT;
        UPDATE alerts SET first_action_at = (SELECT MIN(at) FROM triage WHERE triage.seq = alerts.seq AND triage.action <> 'note');
        CREATE INDEX alerts_live_open ON alerts (post, severity, created_at) WHERE scope = '' AND muted IS NULL AND first_action_at IS NULL;
        CREATE INDEX alerts_live_by_created ON alerts (created_at, post, severity, first_action_at) WHERE scope = '' AND muted IS NULL;
      `);
    },
  },
  {
    version: 8,
    name: 'the rules-fired index by rule dropped: no query reads it, and each stored alert wrote it',
    up(db) {
      // Every query on alert_rules goes by alert (seq, its primary key): rule statistics and
      // referral outcomes join it from the alerts. The index by rule id was written for each
      // rule of each stored alert (a page or two per alert in the serving processor's
      // one-alert transactions) and read by nothing.
      db.exec('DROP INDEX IF EXISTS alert_rules_by_rule');
    },
  },
];

/** subject, person, vehicle keys and event time (ms) of a stored alert's JSON; nulls where it cannot tell. */
function keysOf(json: string): [string | null, string | null, string | null, number | null] {
  try {
    const alert = JSON.parse(json) as Alert;
    const keys = subjectKeys(alert.event);
    const ms = Date.parse(alert.eventTime);
    return [keys.subject, keys.person ?? null, keys.vehicle ?? null, Number.isNaN(ms) ? null : ms];
  } catch {
    return [null, null, null, null];
  }
}

const CASEWORK_V2 = `
ALTER TABLE alerts ADD COLUMN subject_key TEXT;
ALTER TABLE alerts ADD COLUMN person_key TEXT;
ALTER TABLE alerts ADD COLUMN vehicle_key TEXT;
ALTER TABLE alerts ADD COLUMN event_ms INTEGER;
-- Why the alert was not pushed live (JSON: a silence, or the stronger alert that inhibited it); null: it was.
ALTER TABLE alerts ADD COLUMN muted TEXT;
-- The silence id (or 'inhibition') of a muted alert, indexed to count what each silence muted.
ALTER TABLE alerts ADD COLUMN muted_by TEXT;
CREATE INDEX alerts_by_muter ON alerts (muted_by) WHERE muted_by IS NOT NULL;
CREATE INDEX alerts_by_subject ON alerts (subject_key, event_ms);
CREATE INDEX alerts_by_person ON alerts (person_key) WHERE person_key IS NOT NULL;
CREATE INDEX alerts_by_vehicle ON alerts (vehicle_key) WHERE vehicle_key IS NOT NULL;
CREATE TABLE silences (
  id TEXT PRIMARY KEY,
  matchers TEXT NOT NULL,
  author TEXT NOT NULL,
  reason TEXT NOT NULL,
  created_at TEXT NOT NULL,
  ends_at TEXT NOT NULL,
  expired_at TEXT,
  expired_by TEXT
);
CREATE TABLE non_matches (
  id TEXT PRIMARY KEY,
  entry TEXT NOT NULL,
  subject TEXT NOT NULL,
  author TEXT NOT NULL,
  reason TEXT NOT NULL,
  created_at TEXT NOT NULL,
  from_seq INTEGER,
  rule_id TEXT,
  revoked_at TEXT,
  revoked_by TEXT,
  applied INTEGER NOT NULL DEFAULT 0,
  last_applied_at TEXT
);
CREATE UNIQUE INDEX non_matches_in_force ON non_matches (entry, subject) WHERE revoked_at IS NULL;
-- Every casework change, who and when: silences, non-matches (and what later steps add).
CREATE TABLE casework_log (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  by TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT NOT NULL,
  detail TEXT
);
CREATE INDEX casework_log_by_target ON casework_log (target);
`;

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
