import type Database from 'better-sqlite3';

/** What retention writes where it removed an analyst's free text or a subject. */
export const REMOVED_BY_RETENTION = '[removed by retention]';

/** What one retention run removed from the casework kept beside the alerts. */
export interface CaseworkForgotten {
  /** Cases whose title and notes went (last changed before the cut-off). */
  cases: number;
  /** Expired silences and revoked non-matches whose subject went. */
  subjects: number;
  /** Casework log entries whose detail went. */
  logEntries: number;
}

/**
 * Removes, from casework untouched since `before` (RFC 3339, UTC), what can name a person:
 * the free text of cases (title and notes) last changed before then, the subject and
 * reason of a silence that ended before then and of a non-match revoked before then, and the detail
 * (matchers, reasons, notes) of casework log entries written before then. What was done,
 * by whom and when stays: case status, alerts and referral outcome (the labels rule
 * statistics read), the silence's other matchers and times, the non-match's list entry,
 * the log entry's action and target. Silences and non-matches still in force keep their
 * subject: they are standing decisions, not a record of the past. One transaction.
 */
export function forgetCasework(db: Database.Database, before: string): CaseworkForgotten {
  return db.transaction((): CaseworkForgotten => {
    const stale = 'SELECT id FROM cases WHERE updated_at < @before';
    db.prepare(`UPDATE case_notes SET note = @removed WHERE case_id IN (${stale}) AND note != @removed`).run({ before, removed: REMOVED_BY_RETENTION });
    const cases = db.prepare(`UPDATE cases SET title = @removed WHERE updated_at < @before AND title != @removed`).run({ before, removed: REMOVED_BY_RETENTION }).changes;
    const ended = 'min(ends_at, coalesce(expired_at, ends_at)) < @before';
    const silences = db
      .prepare(`UPDATE silences SET matchers = json_set(matchers, '$.subject', @removed) WHERE ${ended} AND json_extract(matchers, '$.subject') IS NOT NULL AND json_extract(matchers, '$.subject') != @removed`)
      .run({ before, removed: REMOVED_BY_RETENTION }).changes;
    // The reason is an analyst's free text, which may name anyone, whatever the matchers.
    db.prepare(`UPDATE silences SET reason = @removed WHERE ${ended} AND reason != @removed`).run({ before, removed: REMOVED_BY_RETENTION });
    const nonMatches = db.prepare(`UPDATE non_matches SET subject = @removed, reason = @removed WHERE revoked_at < @before AND subject != @removed`).run({ before, removed: REMOVED_BY_RETENTION }).changes;
    const logEntries = db.prepare('UPDATE casework_log SET detail = NULL WHERE at < @before AND detail IS NOT NULL').run({ before }).changes;
    return { cases, subjects: silences + nonMatches, logEntries };
  })();
}
