import crypto from 'node:crypto';
import type Database from 'better-sqlite3';
import { z } from 'zod';
import type { NonMatchLookup } from '../alert/suppress-non-matches.ts';
import type { NonMatchRecord } from '../indicators/evaluate-indicators.ts';
import type { CaseworkLog } from './casework-log.ts';

/**
 * An analyst's confirmation that a watchlist hit was not the listed person: for the listed
 * entry the indicator matched, and either this travel document (`document`) or this person
 * by folded name and date of birth (`person`, which also covers their other documents).
 * The server takes the entry and the subject from the stored alert, not from the client.
 */
export const NonMatchRequestSchema = z.strictObject({
  type: z.literal('non-match'),
  requestId: z.string().max(100).optional(),
  /** The alert whose watchlist hit is confirmed not to be the listed person. */
  seq: z.int().min(1),
  /** The listed entry, `list:entryId`, as the alert's watchlist evidence names it. */
  entry: z.string().trim().min(1).max(200),
  scope: z.enum(['document', 'person']),
  reason: z.string().trim().min(1).max(2000),
  by: z.string().trim().min(1).max(100).optional(),
});

export interface NonMatch extends NonMatchRecord {
  /** The alert it was confirmed on. */
  fromSeq: number | null;
  ruleId: string | null;
  /** Times it kept an indicator from firing since. */
  applied: number;
  lastAppliedAt?: string;
  revokedAt?: string;
  revokedBy?: string;
}

interface Row {
  id: string;
  entry: string;
  subject: string;
  author: string;
  reason: string;
  created_at: string;
  from_seq: number | null;
  rule_id: string | null;
  revoked_at: string | null;
  revoked_by: string | null;
  applied: number;
  last_applied_at: string | null;
}

/**
 * Confirmed non-matches, kept in the alert database and held in memory by entry and
 * subject, so that the suppression stage looks one up with a map read. Revoked ones stay
 * in the table for the record.
 */
export class NonMatches implements NonMatchLookup {
  private readonly db: Database.Database;
  private readonly log: CaseworkLog;
  private readonly now: () => number;
  private readonly inForce = new Map<string, NonMatchRecord>();
  private readonly statements;

  constructor(db: Database.Database, log: CaseworkLog, now: () => number) {
    this.db = db;
    this.log = log;
    this.now = now;
    this.statements = {
      insert: db.prepare('INSERT INTO non_matches (id, entry, subject, author, reason, created_at, from_seq, rule_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
      revoke: db.prepare('UPDATE non_matches SET revoked_at = ?, revoked_by = ? WHERE id = ? AND revoked_at IS NULL'),
      applied: db.prepare('UPDATE non_matches SET applied = applied + 1, last_applied_at = ? WHERE id = ?'),
      list: db.prepare('SELECT * FROM non_matches ORDER BY created_at DESC LIMIT ?'),
      get: db.prepare('SELECT * FROM non_matches WHERE id = ?'),
      inForce: db.prepare('SELECT * FROM non_matches WHERE revoked_at IS NULL'),
    };
    for (const row of this.statements.inForce.all() as Row[]) this.inForce.set(key(row.entry, row.subject), toRecord(row));
  }

  get size(): number {
    return this.inForce.size;
  }

  find(entry: string, subjects: readonly string[]): NonMatchRecord | undefined {
    for (const subject of subjects) {
      const found = this.inForce.get(key(entry, subject));
      if (found) return found;
    }
    return undefined;
  }

  applied(record: NonMatchRecord): void {
    // A count for the analysts, not a record anything depends on: a failed write is not worth stopping an event for.
    try {
      this.statements.applied.run(new Date(this.now()).toISOString(), record.id);
    } catch {
      // left uncounted
    }
  }

  /** Records a non-match (or returns the one already in force for that entry and subject). */
  confirm(input: { entry: string; subject: string; reason: string; by: string; fromSeq: number; ruleId: string | null }): NonMatch {
    const existing = this.inForce.get(key(input.entry, input.subject));
    if (existing) return this.get(existing.id)!;
    const at = new Date(this.now()).toISOString();
    const id = `nm-${crypto.randomBytes(4).toString('hex')}`;
    this.db.transaction(() => {
      this.statements.insert.run(id, input.entry, input.subject, input.by, input.reason, at, input.fromSeq, input.ruleId);
      this.log.append({ at, by: input.by, action: 'non-match.confirm', target: id, detail: { entry: input.entry, subject: input.subject, reason: input.reason, seq: input.fromSeq } });
    })();
    const record: NonMatchRecord = { id, entry: input.entry, subject: input.subject, by: input.by, at, reason: input.reason };
    this.inForce.set(key(input.entry, input.subject), record);
    return this.get(id)!;
  }

  /** Withdraws a non-match: the entry alerts on that subject again. Undefined when none is in force by that id. */
  revoke(id: string, by: string): NonMatch | undefined {
    const at = new Date(this.now()).toISOString();
    const changed = this.db.transaction(() => {
      if (this.statements.revoke.run(at, by, id).changes === 0) return false;
      this.log.append({ at, by, action: 'non-match.revoke', target: id });
      return true;
    })();
    if (!changed) return undefined;
    for (const [k, record] of this.inForce) if (record.id === id) this.inForce.delete(k);
    return this.get(id);
  }

  get(id: string): NonMatch | undefined {
    const row = this.statements.get.get(id) as Row | undefined;
    return row && toNonMatch(row);
  }

  list(limit = 500): NonMatch[] {
    return (this.statements.list.all(limit) as Row[]).map(toNonMatch);
  }
}

function key(entry: string, subject: string): string {
  return `${entry}\u0000${subject}`;
}

function toRecord(r: Row): NonMatchRecord {
  return { id: r.id, entry: r.entry, subject: r.subject, by: r.author, at: r.created_at, reason: r.reason };
}

function toNonMatch(r: Row): NonMatch {
  return {
    ...toRecord(r),
    fromSeq: r.from_seq,
    ruleId: r.rule_id,
    applied: r.applied,
    ...(r.last_applied_at !== null && { lastAppliedAt: r.last_applied_at }),
    ...(r.revoked_at !== null && { revokedAt: r.revoked_at }),
    ...(r.revoked_by !== null && { revokedBy: r.revoked_by }),
  };
}
