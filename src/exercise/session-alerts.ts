import fs from 'node:fs';
import Database from 'better-sqlite3';
import type { Alert } from '../alert/alert.ts';
import { ConfigError } from '../errors.ts';
import type { TriageState } from '../triage/triage.ts';

/** An alert of a training session as the alert database holds it. */
export interface SessionAlert {
  seq: number;
  alert: Alert;
  /** When the processor stored it (wall clock). */
  createdAt: string;
  triage: TriageState | null;
}

/** Every alert of an alert database with its triage, read without writing to it (the session's processor may still run). */
export function readSessionAlerts(file: string): SessionAlert[] {
  if (!fs.existsSync(file)) throw new ConfigError(`no alert database at ${file}`);
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    // The store's schema (src/store/alert-store.ts).
    const rows = db.prepare('SELECT a.seq, a.created_at AS createdAt, a.alert, t.state FROM alerts a LEFT JOIN triage_state t ON t.seq = a.seq ORDER BY a.seq').all() as { seq: number; createdAt: string; alert: string; state: string | null }[];
    return rows.map((r) => ({ seq: r.seq, createdAt: r.createdAt, alert: JSON.parse(r.alert) as Alert, triage: r.state === null ? null : (JSON.parse(r.state) as TriageState) }));
  } finally {
    db.close();
  }
}
