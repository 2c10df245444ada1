import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Alert } from '../alert/alert.ts';
import { ConfigError, StoreError } from '../errors.ts';
import { applyTriage, NEW_TRIAGE, type TriageEntry, type TriageState, type TriageStatus } from '../triage/triage.ts';
import { subjectKeys, type SubjectKeys } from '../alert/subject-keys.ts';
import type { AlertLog, Muted, StoredAlert } from './alert-log.ts';
import { BackgroundCheckpoints } from './background-checkpoints.ts';
import { migrate } from './migrations.ts';
import { outcomesSql, type RuleOutcomes } from './read-alert-database.ts';

export interface AlertStoreOptions {
  /**
   * Newest alerts kept; older ones (and their triage) are deleted, and a subscriber
   * resuming from before them is told of the gap. @default 1_000_000
   */
  retain?: number;
  /** The wall clock alerts are stamped with (`created_at`, which retention goes by). @default Date.now */
  now?: () => number;
  /**
   * Copy the write-ahead log into the database from a thread of its own
   * (`BackgroundCheckpoints`) instead of on the thread that stores alerts, where each
   * checkpoint's copying and fsyncs stall ingest. Not for ':memory:'. @default false
   */
  backgroundCheckpoints?: boolean;
  /** Told when the checkpoint thread ends, or its checkpoints fail and succeed again (the storing thread checkpoints meanwhile). */
  log?: (line: string) => void;
}

/** How long `sync` asks again while another connection (the checkpoint thread) holds the checkpoint. */
const SYNC_WAIT_MS = 5_000;
/** Something to wait on for a millisecond between those asks. */
const PAUSE = new Int32Array(new SharedArrayBuffer(4));

/** Alerts depersonalised per transaction, so that ingest waits at most one short transaction. */
const DEPERSONALISE_BATCH = 200;

/** Delete what falls outside `retain` every this many appends, not on each one. */
const PRUNE_EVERY = 1_000;

/**
 * The durable alert store: an embedded SQLite database in WAL mode. An alert is
 * committed before anyone is told of it, with the rule-set version it was raised
 * under and the rules that fired; triage changes are appended to a log with who and
 * when, and the current state is kept beside the alert.
 *
 * Sequence numbers start at 1, increase by one per alert and continue after a
 * restart. Durability: with `synchronous = NORMAL` a committed alert survives the
 * process being killed (the case that matters here); an operating-system crash or
 * power loss may lose the last few, which the journal can raise again.
 */
export class AlertStore implements AlertLog {
  /** The database file (or ':memory:'), named in error messages. */
  readonly file: string;
  private readonly db: Database.Database;
  private readonly retain: number;
  private readonly now: () => number;
  private seq: number;
  private first: number;
  private sincePrune = 0;
  private muting: ((alert: Alert, keys: SubjectKeys, eventMs: number) => Muted | undefined) | undefined;
  private readonly statements;
  private readonly checkpoints: BackgroundCheckpoints | undefined;
  /**
   * The rows of several alerts in one transaction, numbered from lastSeq + 1. Made once:
   * `db.transaction` builds its wrapper functions anew on each call, which costs more than
   * the statements of a one-alert write.
   */
  private readonly insertAll: (alerts: readonly Alert[], createdAt: string, scope: string) => (StoredAlert | undefined)[];
  /** The schema steps this open applied to an existing database, as `version (name)`; empty when it was current or new. */
  readonly migrated: readonly string[];

  /** `file` is a path, or ':memory:' for tests. */
  constructor(file: string, options: AlertStoreOptions = {}) {
    const { retain = 1_000_000, now = Date.now, backgroundCheckpoints = false, log } = options;
    this.now = now;
    if (!Number.isInteger(retain) || retain < 1) throw new ConfigError('retain must be a positive integer');
    this.retain = retain;
    this.file = file;
    if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
    const existed = file !== ':memory:' && fs.existsSync(file);
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    // Numbered steps (PRAGMA user_version): a database from an earlier release is upgraded in place, its alerts kept.
    const applied = migrate(this.db, file).map((m) => `${m.version} (${m.name})`);
    this.migrated = existed ? applied : [];
    this.statements = {
      insert: this.db.prepare('INSERT OR IGNORE INTO alerts (seq, alert_id, event_id, kind, post, severity, event_time, rule_set_version, created_at, alert, subject_key, person_key, vehicle_key, event_ms, muted, muted_by, scope) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)'),
      insertRule: this.db.prepare('INSERT OR IGNORE INTO alert_rules (seq, rule_id, shadow) VALUES (?, ?, ?)'),
      since: this.db.prepare('SELECT a.seq, a.alert, a.muted, a.scope, t.state FROM alerts a LEFT JOIN triage_state t ON t.seq = a.seq WHERE a.seq > ? ORDER BY a.seq LIMIT ?'),
      recentLive: this.db.prepare("SELECT a.seq, a.alert, a.muted, a.scope, t.state FROM alerts a LEFT JOIN triage_state t ON t.seq = a.seq WHERE a.scope = '' ORDER BY a.seq DESC LIMIT ?"),
      get: this.db.prepare('SELECT a.seq, a.alert, a.muted, a.scope, t.state FROM alerts a LEFT JOIN triage_state t ON t.seq = a.seq WHERE a.seq = ?'),
      logTriage: this.db.prepare('INSERT INTO triage (seq, action, by, at, assignee, reason, note, pending) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
      firstAction: this.db.prepare('UPDATE alerts SET first_action_at = ? WHERE seq = ? AND first_action_at IS NULL'),
      setState: this.db.prepare('INSERT INTO triage_state (seq, status, outcome, state, assignee) VALUES (?, ?, ?, ?, ?) ON CONFLICT (seq) DO UPDATE SET status = excluded.status, outcome = excluded.outcome, state = excluded.state, assignee = excluded.assignee'),
      prune: [
        this.db.prepare('DELETE FROM alert_rules WHERE seq <= ?'),
        this.db.prepare('DELETE FROM triage WHERE seq <= ?'),
        this.db.prepare('DELETE FROM triage_state WHERE seq <= ?'),
        this.db.prepare('DELETE FROM alerts WHERE seq <= ?'),
      ],
      outcomes: this.db.prepare(outcomesSql()),
      personal: this.db.prepare('SELECT a.seq, a.alert, a.muted, a.scope, t.state FROM alerts a LEFT JOIN triage_state t ON t.seq = a.seq WHERE a.depersonalised_at IS NULL AND a.created_at < ? ORDER BY a.created_at LIMIT ?'),
      depersonalise: this.db.prepare('UPDATE alerts SET alert = ?, depersonalised_at = ?, subject_key = ?, person_key = NULL, vehicle_key = NULL WHERE seq = ?'),
      clearNotes: this.db.prepare('UPDATE triage SET note = NULL WHERE seq = ? AND note IS NOT NULL'),
      setStateJson: this.db.prepare('UPDATE triage_state SET state = ? WHERE seq = ?'),
    };
    this.insertAll = this.db.transaction((alerts: readonly Alert[], createdAt: string, scope: string) => {
      let seq = this.seq;
      return alerts.map((alert) => {
        const stored = this.insert(seq + 1, alert, createdAt, scope);
        if (stored) seq += 1;
        return stored;
      });
    });
    const bounds = this.db.prepare('SELECT MIN(seq) AS first, MAX(seq) AS last FROM alerts').get() as { first: number | null; last: number | null };
    // The counter outlives pruning, so a store emptied by retention never reuses a number.
    this.seq = Math.max(bounds.last ?? 0, Number(this.readMeta('lastSeq') ?? 0));
    this.first = bounds.first ?? this.seq + 1;
    // Last: nothing after it can throw and leave the thread and its connection behind.
    if (backgroundCheckpoints && file !== ':memory:') {
      this.checkpoints = new BackgroundCheckpoints(
        file,
        (error) => log?.(`alert database ${file}: the checkpoint thread ended (${error.message}); checkpoints are made as alerts are stored, as without it`),
        (reason) => log?.(reason === null ? `alert database ${file}: the checkpoint thread copies the log again` : `alert database ${file}: the checkpoint thread cannot copy the log (${reason}); it tries again every second, and checkpoints are made as alerts are stored meanwhile`),
      );
    }
  }

  get lastSeq(): number {
    return this.seq;
  }

  /** Oldest sequence number still held (lastSeq + 1 when empty). */
  get firstSeq(): number {
    return this.first;
  }

  /**
   * Commits the alert and gives it the next sequence number. An alert whose id is
   * already stored (raised again while the journal is replayed after a crash) is not
   * stored twice: the result is then undefined. `scope`: '' for a live alert, or the id
   * of the exercise that raised it (docs/casework.md#exercises); exercise alerts are never
   * muted by live silences or inhibition.
   */
  append(alert: Alert, scope = ''): StoredAlert | undefined {
    return this.appendAll([alert], scope)[0];
  }

  /**
   * Commits several alerts in one transaction (one write to the database's log instead of
   * one per alert), each given the next sequence number in order; the result holds, in
   * the same order, what `append` would have given for each. All or none: when it throws,
   * none is kept and no number is used.
   */
  appendAll(alerts: readonly Alert[], scope = ''): (StoredAlert | undefined)[] {
    const results = this.insertAll(alerts, new Date(this.now()).toISOString(), scope);
    let seq = this.seq;
    for (const stored of results) if (stored) seq = stored.seq;
    const added = seq - this.seq;
    if (added === 0) return results;
    if (this.first > this.seq + 1) this.first = this.seq + 1;
    this.seq = seq;
    this.sincePrune += added;
    if (this.sincePrune >= Math.min(PRUNE_EVERY, this.retain)) {
      // The alerts are committed: a prune that fails (a full disk) must not make them look lost.
      // Pruning is tried again after the next PRUNE_EVERY appends.
      try {
        this.prune();
      } catch {
        this.sincePrune = 0;
      }
    }
    return results;
  }

  /** One alert's rows, inside the caller's transaction; undefined when its id is already stored. */
  private insert(seq: number, alert: Alert, createdAt: string, scope: string): StoredAlert | undefined {
    const json = JSON.stringify(alert);
    const keys = keysOf(alert);
    const eventMs = Date.parse(alert.eventTime);
    // Inside the transaction, so that an inhibition sees the alerts stored before it in the same one.
    const muted = scope === '' ? this.muting?.(alert, keys, eventMs) : undefined;
    const inserted = this.statements.insert.run(seq, alert.alertId, alert.eventId, alert.kind, alert.post, alert.severity, alert.eventTime, alert.ruleSetVersion, createdAt, json, keys.subject, keys.person ?? null, keys.vehicle ?? null, eventMs, muted === undefined ? null : JSON.stringify(muted), muted === undefined ? null : muted.by === 'silence' ? muted.id : 'inhibition', scope);
    if (inserted.changes === 0) return undefined;
    for (const indicator of alert.indicators) this.statements.insertRule.run(seq, indicator.id, 0);
    for (const id of alert.shadowIndicators) this.statements.insertRule.run(seq, id, 1);
    return { seq, alert, triage: NEW_TRIAGE, message: alertMessage(seq, json, NEW_TRIAGE, muted, scope), ...(muted !== undefined && { muted }), ...(scope !== '' && { scope }) };
  }

  /**
   * Decides, as each alert is stored, whether it is muted (a silence, an inhibiting
   * alert): casework sets it once the store is open. It may read the database.
   */
  muteWith(muting: (alert: Alert, keys: SubjectKeys, eventMs: number) => Muted | undefined): void {
    this.muting = muting;
  }

  /** The open database, for the casework tables kept beside the alerts (src/casework). */
  get database(): Database.Database {
    return this.db;
  }

  /** Up to `limit` alerts with `seq > since`, oldest first, as far back as the store holds. */
  since(since: number, limit = 1_000): StoredAlert[] {
    return (this.statements.since.all(since, limit) as Row[]).map(toStored);
  }

  /** The newest `limit` live alerts (exercise alerts left out), oldest first. */
  recentLive(limit: number): StoredAlert[] {
    return (this.statements.recentLive.all(limit) as Row[]).reverse().map(toStored);
  }

  get(seq: number): StoredAlert | undefined {
    const row = this.statements.get.get(seq) as Row | undefined;
    return row && toStored(row);
  }

  /** Appends a triage change to the alert's history; undefined when no such alert is held. */
  triage(seq: number, entry: TriageEntry): StoredAlert | undefined {
    const current = this.get(seq);
    if (!current) return undefined;
    const triage = applyTriage(current.triage, entry);
    this.db.transaction(() => {
      this.statements.logTriage.run(seq, entry.action, entry.by, entry.at, entry.assignee ?? null, entry.reason ?? null, entry.note ?? null, entry.pending ? 1 : null);
      this.statements.setState.run(seq, triage.status, triage.outcome ?? null, JSON.stringify(triage), triage.assignee ?? null);
      // Acknowledged from here on, for the dashboard (a note alone is not an acknowledgement).
      if (entry.action !== 'note') this.statements.firstAction.run(entry.at, seq);
    })();
    return { ...current, triage, message: alertMessage(seq, JSON.stringify(current.alert), triage, current.muted, current.scope) };
  }

  /**
   * A work queue, newest first: live (not muted) alerts whose triage status is one of
   * `statuses` (an alert never triaged is `new`), assigned to `assignee` when given, or to
   * nobody with `unassigned`. At most `limit`, from before `before` (a seq) when paging.
   * Live alerts only, unless `scope` names an exercise.
   */
  queue(options: { statuses: readonly TriageStatus[]; assignee?: string; unassigned?: boolean; limit?: number; before?: number; scope?: string }): StoredAlert[] {
    const { statuses, assignee, unassigned = false, limit = 200, before, scope = '' } = options;
    const where = [`a.muted IS NULL`, 'a.scope = ?', `COALESCE(t.status, 'new') IN (${statuses.map(() => '?').join(', ')})`];
    const params: unknown[] = [scope, ...statuses];
    if (assignee !== undefined) {
      where.push('t.assignee = ?');
      params.push(assignee);
    }
    if (unassigned) where.push('t.assignee IS NULL');
    if (before !== undefined) {
      where.push('a.seq < ?');
      params.push(before);
    }
    params.push(limit);
    const rows = this.db.prepare(`SELECT a.seq, a.alert, a.muted, a.scope, t.state FROM alerts a LEFT JOIN triage_state t ON t.seq = a.seq WHERE ${where.join(' AND ')} ORDER BY a.seq DESC LIMIT ?`).all(...params) as Row[];
    return rows.map(toStored);
  }

  /**
   * Replaces the personal data of alerts stored before `before` (RFC 3339, UTC) with what
   * `redact` makes of each alert, and clears the free-text notes of their triage; their
   * rules, severity, triage actions and outcomes stay, so rule statistics do not change.
   * Each alert is done once (marked by `depersonalised_at`); at most `DEPERSONALISE_BATCH`
   * per call, in one transaction. Returns how many were done: call again until 0.
   */
  depersonalise(before: string, redact: (alert: Alert) => Alert): number {
    const rows = this.statements.personal.all(before, DEPERSONALISE_BATCH) as Row[];
    if (rows.length === 0) return 0;
    const at = new Date(this.now()).toISOString();
    this.db.transaction(() => {
      for (const row of rows) {
        const redacted = redact(JSON.parse(row.alert) as Alert);
        this.statements.depersonalise.run(JSON.stringify(redacted), at, keysOf(redacted).subject, row.seq);
        this.statements.clearNotes.run(row.seq);
        if (row.state !== null) {
          const state = JSON.parse(row.state) as TriageState;
          state.history = state.history.map(({ note: _note, ...entry }) => entry);
          this.statements.setStateJson.run(JSON.stringify(state), row.seq);
        }
      }
    })();
    return rows.length;
  }

  /** Alerts and analysts' conclusions per rule, for rule authors (`rules stats`) and backtests. */
  ruleOutcomes(): RuleOutcomes[] {
    return this.statements.outcomes.all() as RuleOutcomes[];
  }

  /**
   * The last journal record whose processing is complete (its alerts, if any, are
   * stored): after a crash the journal is replayed with alerts from here on.
   */
  get processedRecord(): number {
    return Number(this.readMeta('processedRecord') ?? 0);
  }

  set processedRecord(n: number) {
    this.writeMeta('processedRecord', String(n));
  }

  /**
   * Makes every committed alert durable against an operating-system crash too (a WAL
   * checkpoint syncs the log first): before a state snapshot that counts them as raised
   * replaces one that does not.
   */
  sync(): void {
    // PASSIVE never waits for readers, so it may stop short of the end of the log while one
    // (`rules stats`, say) holds older pages: then nothing is promised and the snapshot waits.
    // The checkpoint thread may hold the checkpoint lock: then PASSIVE does nothing (busy, -1
    // of -1 frames) and is asked again; that thread's turns take a few milliseconds.
    const deadline = Date.now() + SYNC_WAIT_MS;
    let result = this.checkpoint();
    while (result?.busy === 1 && result.log === -1 && Date.now() < deadline) {
      Atomics.wait(PAUSE, 0, 0, 1);
      result = this.checkpoint();
    }
    if (result?.busy === 1 && result.log === -1) throw new StoreError(`the alert database's log could not be checkpointed: another connection held the checkpoint for ${SYNC_WAIT_MS / 1000} s; the alerts are not all synced yet`);
    if (result && result.checkpointed < result.log) throw new StoreError(`the alert database's log was checkpointed up to ${result.checkpointed} of ${result.log} frames (a reader holds the rest); the alerts are not all synced yet`);
  }

  close(): void {
    try {
      this.writeMeta('lastSeq', String(this.seq));
    } finally {
      // First: the last connection to close checkpoints the whole log and removes it.
      try {
        this.checkpoints?.stop();
      } finally {
        this.db.close();
      }
    }
  }

  private checkpoint(): { busy: number; log: number; checkpointed: number } | undefined {
    return (this.db.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[])[0];
  }

  private readMeta(key: string): string | undefined {
    return (this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value;
  }

  private writeMeta(key: string, value: string): void {
    this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  private prune(): void {
    this.sincePrune = 0;
    const upTo = this.seq - this.retain;
    if (upTo < this.first) return;
    this.db.transaction(() => {
      for (const statement of this.statements.prune) statement.run(upTo);
      this.writeMeta('lastSeq', String(this.seq));
    })();
    this.first = upTo + 1;
  }
}

/** The alert's subject keys; an event without the fields they need (a hand-made alert) is keyed by its id, not refused. */
function keysOf(alert: Alert): SubjectKeys {
  try {
    return subjectKeys(alert.event);
  } catch {
    return { subject: `event ${alert.eventId}` };
  }
}

interface Row {
  seq: number;
  alert: string;
  muted: string | null;
  scope: string;
  state: string | null;
}

function toStored(row: Row): StoredAlert {
  const triage = row.state === null ? NEW_TRIAGE : (JSON.parse(row.state) as TriageState);
  const muted = row.muted === null ? undefined : (JSON.parse(row.muted) as Muted);
  const scope = row.scope === '' ? undefined : row.scope;
  return { seq: row.seq, alert: JSON.parse(row.alert) as Alert, triage, message: alertMessage(row.seq, row.alert, triage, muted, scope), ...(muted !== undefined && { muted }), ...(scope !== undefined && { scope }) };
}

/** The `alert` message, built around the alert's stored JSON rather than serialising it again; `exercise` names an exercise alert's scope. */
function alertMessage(seq: number, alertJson: string, triage: TriageState, muted?: Muted, scope?: string): string {
  return `{"type":"alert","seq":${seq},"alert":${alertJson},"triage":${JSON.stringify(triage)}${muted === undefined ? '' : `,"muted":${JSON.stringify(muted)}`}${scope ? `,"exercise":${JSON.stringify(scope)}` : ''}}`;
}
