import crypto from 'node:crypto';
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { StoreError } from '../errors.ts';
import type { CaseworkLog } from './casework-log.ts';

/**
 * What happened after a referral: the fixed vocabulary outcomes are recorded in, so that
 * rule authors can count them per rule.
 */
export const ReferralOutcomeSchema = z.enum(['refused-entry', 'secondary-positive', 'secondary-negative', 'seizure', 'released', 'missed']);
export type ReferralOutcome = z.infer<typeof ReferralOutcomeSchema>;

export const CaseStatusSchema = z.enum(['open', 'referred', 'closed']);
export type CaseStatus = z.infer<typeof CaseStatusSchema>;

const Title = z.string().trim().min(1).max(200);
const Note = z.string().trim().min(1).max(2000);
const Seqs = z.array(z.int().min(1)).min(1).max(500);

export const CaseCreateSchema = z.strictObject({
  type: z.literal('case-create'),
  requestId: z.string().max(100).optional(),
  title: Title,
  seqs: Seqs,
  note: Note.optional(),
  by: z.string().trim().min(1).max(100).optional(),
});

export const CaseUpdateSchema = z
  .strictObject({
    type: z.literal('case-update'),
    requestId: z.string().max(100).optional(),
    id: z.string().min(1).max(100),
    add: Seqs.optional(),
    remove: Seqs.optional(),
    note: Note.optional(),
    status: CaseStatusSchema.optional(),
    outcome: ReferralOutcomeSchema.optional(),
    by: z.string().trim().min(1).max(100).optional(),
  })
  .refine((u) => u.add !== undefined || u.remove !== undefined || u.note !== undefined || u.status !== undefined || u.outcome !== undefined, { message: 'give something to change: add, remove, note, status or outcome' });

export interface CaseNote {
  by: string;
  at: string;
  note: string;
}

export interface CaseRecord {
  id: string;
  title: string;
  status: CaseStatus;
  outcome?: ReferralOutcome;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  /** The alerts gathered, by seq, in the order added. */
  seqs: number[];
  notes: CaseNote[];
}

interface CaseRow {
  id: string;
  title: string;
  status: CaseStatus;
  outcome: ReferralOutcome | null;
  created_by: string;
  created_at: string;
  updated_at: string;
}

/**
 * Cases: alerts gathered under a title, with notes, a status and the outcome of the
 * referral, in the alert database. Every change is written to the casework log with who
 * and when, in the same transaction.
 */
export class Cases {
  private readonly db: Database.Database;
  private readonly log: CaseworkLog;
  private readonly now: () => number;
  private readonly statements;

  constructor(db: Database.Database, log: CaseworkLog, now: () => number) {
    this.db = db;
    this.log = log;
    this.now = now;
    this.statements = {
      insert: db.prepare('INSERT INTO cases (id, title, status, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)'),
      get: db.prepare('SELECT * FROM cases WHERE id = ?'),
      list: db.prepare('SELECT * FROM cases ORDER BY updated_at DESC LIMIT ?'),
      listByStatus: db.prepare('SELECT * FROM cases WHERE status = ? ORDER BY updated_at DESC LIMIT ?'),
      add: db.prepare('INSERT OR IGNORE INTO case_alerts (case_id, seq, added_by, added_at) VALUES (?, ?, ?, ?)'),
      remove: db.prepare('DELETE FROM case_alerts WHERE case_id = ? AND seq = ?'),
      seqs: db.prepare('SELECT seq FROM case_alerts WHERE case_id = ? ORDER BY added_at, seq'),
      note: db.prepare('INSERT INTO case_notes (case_id, by, at, note) VALUES (?, ?, ?, ?)'),
      notes: db.prepare('SELECT by, at, note FROM case_notes WHERE case_id = ? ORDER BY id'),
      touch: db.prepare('UPDATE cases SET updated_at = ? WHERE id = ?'),
      status: db.prepare('UPDATE cases SET status = ? WHERE id = ?'),
      outcome: db.prepare('UPDATE cases SET outcome = ? WHERE id = ?'),
      ofAlert: db.prepare('SELECT c.* FROM case_alerts ca JOIN cases c ON c.id = ca.case_id WHERE ca.seq = ? ORDER BY c.created_at'),
      // Live alerts only: an exercise's alerts are a trainee's, never evidence in a case.
      alertExists: db.prepare("SELECT 1 FROM alerts WHERE seq = ? AND scope = ''"),
    };
  }

  create(input: { title: string; seqs: readonly number[]; note?: string | undefined; by: string }): CaseRecord {
    const at = new Date(this.now()).toISOString();
    const id = `case-${crypto.randomBytes(4).toString('hex')}`;
    this.db.transaction(() => {
      this.requireAlerts(input.seqs);
      this.statements.insert.run(id, input.title, 'open', input.by, at, at);
      for (const seq of input.seqs) this.statements.add.run(id, seq, input.by, at);
      if (input.note !== undefined) this.statements.note.run(id, input.by, at, input.note);
      this.log.append({ at, by: input.by, action: 'case.create', target: id, detail: { title: input.title, seqs: input.seqs } });
    })();
    return this.get(id)!;
  }

  /** Applies a change; undefined when there is no such case. Unknown alerts are refused whole (StoreError). */
  update(id: string, change: { add?: readonly number[] | undefined; remove?: readonly number[] | undefined; note?: string | undefined; status?: CaseStatus | undefined; outcome?: ReferralOutcome | undefined }, by: string): CaseRecord | undefined {
    if (!this.statements.get.get(id)) return undefined;
    const at = new Date(this.now()).toISOString();
    this.db.transaction(() => {
      if (change.add) {
        this.requireAlerts(change.add);
        for (const seq of change.add) this.statements.add.run(id, seq, by, at);
      }
      for (const seq of change.remove ?? []) this.statements.remove.run(id, seq);
      if (change.note !== undefined) this.statements.note.run(id, by, at, change.note);
      if (change.status !== undefined) this.statements.status.run(change.status, id);
      if (change.outcome !== undefined) this.statements.outcome.run(change.outcome, id);
      this.statements.touch.run(at, id);
      const { note: _note, ...logged } = change;
      this.log.append({ at, by, action: 'case.update', target: id, detail: { ...logged, ...(change.note !== undefined && { noted: true }) } });
    })();
    return this.get(id);
  }

  get(id: string): CaseRecord | undefined {
    const row = this.statements.get.get(id) as CaseRow | undefined;
    return row && this.toCase(row);
  }

  list(status?: CaseStatus, limit = 200): CaseRecord[] {
    const rows = (status === undefined ? this.statements.list.all(limit) : this.statements.listByStatus.all(status, limit)) as CaseRow[];
    return rows.map((r) => this.toCase(r));
  }

  /** The cases an alert is in. */
  ofAlert(seq: number): CaseRecord[] {
    return (this.statements.ofAlert.all(seq) as CaseRow[]).map((r) => this.toCase(r));
  }

  private requireAlerts(seqs: readonly number[]): void {
    const missing = seqs.filter((seq) => !this.statements.alertExists.get(seq));
    if (missing.length > 0) throw new StoreError(`no alert with seq ${missing.join(', ')} is held`);
  }

  private toCase(r: CaseRow): CaseRecord {
    return {
      id: r.id,
      title: r.title,
      status: r.status,
      ...(r.outcome !== null && { outcome: r.outcome }),
      createdBy: r.created_by,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      seqs: (this.statements.seqs.all(r.id) as { seq: number }[]).map((s) => s.seq),
      notes: this.statements.notes.all(r.id) as CaseNote[],
    };
  }
}
