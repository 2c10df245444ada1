import fs from 'node:fs';
import Database from 'better-sqlite3';
import { ConfigError } from '../errors.ts';

/** How analysts concluded about an alert: the dismissal reason, or `true-hit`. */
export type Outcome = 'true-hit' | 'false-positive' | 'duplicate' | 'other';

/**
 * The triage outcome of every concluded alert in an alert database, by alert id, read
 * without writing to it (the processor may be running). Alerts still open are left out.
 */
export function readTriageOutcomes(file: string): Map<string, Outcome> {
  if (!fs.existsSync(file)) throw new ConfigError(`no alert database at ${file}`);
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    // The store's schema (src/store/alert-store.ts): alerts by seq, current triage beside them.
    const rows = db.prepare('SELECT a.alert_id AS alertId, t.outcome AS outcome FROM alerts a JOIN triage_state t ON t.seq = a.seq WHERE t.outcome IS NOT NULL ORDER BY a.seq').all() as { alertId: string; outcome: Outcome }[];
    return new Map(rows.map((r) => [r.alertId, r.outcome]));
  } finally {
    db.close();
  }
}
