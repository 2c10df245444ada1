import type Database from 'better-sqlite3';

/** One casework change as the log keeps it. */
export interface CaseworkLogEntry {
  at: string;
  by: string;
  /** `silence.create`, `silence.expire`, `non-match.confirm`, `non-match.revoke`, ... */
  action: string;
  /** What it changed: a silence id, a non-match id, an alert seq (`alert:12`). */
  target: string;
  detail?: unknown;
}

/**
 * The casework log: every change analysts make beyond triage, with who and when, in the
 * alert database beside what it changed and written in the same transaction, as triage
 * entries are. Nothing is ever deleted from it.
 */
export class CaseworkLog {
  private readonly insert;
  private readonly byTarget;

  constructor(db: Database.Database) {
    this.insert = db.prepare('INSERT INTO casework_log (at, by, action, target, detail) VALUES (?, ?, ?, ?, ?)');
    this.byTarget = db.prepare('SELECT at, by, action, target, detail FROM casework_log WHERE target = ? ORDER BY id');
  }

  append(entry: CaseworkLogEntry): void {
    this.insert.run(entry.at, entry.by, entry.action, entry.target, entry.detail === undefined ? null : JSON.stringify(entry.detail));
  }

  /** Every change to one target, oldest first. */
  of(target: string): CaseworkLogEntry[] {
    return (this.byTarget.all(target) as { at: string; by: string; action: string; target: string; detail: string | null }[]).map((r) => ({
      at: r.at,
      by: r.by,
      action: r.action,
      target: r.target,
      ...(r.detail !== null && { detail: JSON.parse(r.detail) as unknown }),
    }));
  }
}
