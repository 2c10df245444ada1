import crypto from 'node:crypto';
import type Database from 'better-sqlite3';
import { z } from 'zod';
import type { Alert } from '../alert/alert.ts';
import type { SubjectKeys } from '../alert/subject-keys.ts';
import { PostIdSchema } from '../model/common.ts';
import { DurationSchema } from '../streams/duration.ts';
import type { CaseworkLog } from './casework-log.ts';

/**
 * What a silence matches: every matcher given must hold (as in Alertmanager); at least one
 * must be given, so that no silence mutes everything by accident.
 */
export const SilenceMatchersSchema = z
  .strictObject({
    /** An indicator that fired in the alert. */
    rule: z.string().trim().min(1).max(200).optional(),
    post: PostIdSchema.optional(),
    /** The alert's subject key: `document UZB:AA1234567` or `consignee KZ:Name` (`alert.group.subject`). */
    subject: z.string().trim().min(1).max(300).optional(),
    /** A tag of an indicator that fired. */
    tag: z.string().trim().min(1).max(100).optional(),
  })
  .refine((m) => Object.values(m).some((v) => v !== undefined), { message: 'give at least one matcher: rule, post, subject or tag' });
export type SilenceMatchers = z.infer<typeof SilenceMatchersSchema>;

/** Longest a silence may run: past it, a mute should be a rule change, not a silence. */
const MAX_SILENCE_MS = 90 * 86_400_000;

export const SilenceRequestSchema = z.strictObject({
  type: z.literal('silence'),
  requestId: z.string().max(100).optional(),
  matchers: SilenceMatchersSchema,
  reason: z.string().trim().min(1).max(2000),
  /** How long from now, as `30m`, `8h`, `7d` (at most 90 days). */
  duration: DurationSchema.refine((ms) => ms > 0 && ms <= MAX_SILENCE_MS, { message: 'a silence lasts more than 0 and at most 90d' }),
  /** For a processor without authentication only, as in triage. */
  by: z.string().trim().min(1).max(100).optional(),
});

export interface Silence {
  id: string;
  matchers: SilenceMatchers;
  author: string;
  reason: string;
  createdAt: string;
  endsAt: string;
  /** When it was ended by hand before `endsAt`, and by whom. */
  expiredAt?: string;
  expiredBy?: string;
  /** Alerts it muted so far (they are stored and counted, not pushed live). */
  muted: number;
  /** `active` until `endsAt` or until expired by hand. */
  state: 'active' | 'expired';
}

interface SilenceRow {
  id: string;
  matchers: string;
  author: string;
  reason: string;
  created_at: string;
  ends_at: string;
  expired_at: string | null;
  expired_by: string | null;
  muted: number;
}

/** Whether `alert` (with its keys) falls under `m`. */
export function silenceMatches(m: SilenceMatchers, alert: Alert, keys: SubjectKeys): boolean {
  return (
    (m.post === undefined || m.post === alert.post) &&
    (m.subject === undefined || m.subject === keys.subject) &&
    (m.rule === undefined || alert.indicators.some((i) => i.id === m.rule)) &&
    (m.tag === undefined || alert.indicators.some((i) => i.tags.includes(m.tag!)))
  );
}

/**
 * Silences: time-limited mutes by matcher with an author, a reason and an end, kept in
 * the alert database. The ones in force are held in memory (there are few), so matching an
 * alert costs no query; ended ones stay in the table for the record.
 */
export class Silences {
  private readonly db: Database.Database;
  private readonly log: CaseworkLog;
  private readonly now: () => number;
  private active: Silence[];
  private readonly statements;

  constructor(db: Database.Database, log: CaseworkLog, now: () => number) {
    this.db = db;
    this.log = log;
    this.now = now;
    this.statements = {
      insert: db.prepare('INSERT INTO silences (id, matchers, author, reason, created_at, ends_at) VALUES (?, ?, ?, ?, ?, ?)'),
      expire: db.prepare('UPDATE silences SET expired_at = ?, expired_by = ? WHERE id = ? AND expired_at IS NULL'),
      list: db.prepare(`SELECT s.*, (SELECT COUNT(*) FROM alerts a WHERE a.muted_by = s.id) AS muted FROM silences s ORDER BY s.created_at DESC LIMIT ?`),
      inForce: db.prepare(`SELECT s.*, 0 AS muted FROM silences s WHERE s.expired_at IS NULL AND s.ends_at > ?`),
      get: db.prepare(`SELECT s.*, (SELECT COUNT(*) FROM alerts a WHERE a.muted_by = s.id) AS muted FROM silences s WHERE s.id = ?`),
    };
    this.active = (this.statements.inForce.all(new Date(now()).toISOString()) as SilenceRow[]).map((r) => this.toSilence(r));
  }

  create(matchers: SilenceMatchers, reason: string, durationMs: number, by: string): Silence {
    const now = this.now();
    const silence: Silence = {
      id: `sil-${crypto.randomBytes(4).toString('hex')}`,
      matchers,
      author: by,
      reason,
      createdAt: new Date(now).toISOString(),
      endsAt: new Date(now + durationMs).toISOString(),
      muted: 0,
      state: 'active',
    };
    this.db.transaction(() => {
      this.statements.insert.run(silence.id, JSON.stringify(matchers), by, reason, silence.createdAt, silence.endsAt);
      this.log.append({ at: silence.createdAt, by, action: 'silence.create', target: silence.id, detail: { matchers, reason, endsAt: silence.endsAt } });
    })();
    this.active.push(silence);
    return silence;
  }

  /** Ends a silence now; undefined when there is no such silence, or it has already ended. */
  expire(id: string, by: string): Silence | undefined {
    const at = new Date(this.now()).toISOString();
    const changed = this.db.transaction(() => {
      const result = this.statements.expire.run(at, by, id);
      if (result.changes === 0) return false;
      this.log.append({ at, by, action: 'silence.expire', target: id });
      return true;
    })();
    if (!changed) return undefined;
    this.active = this.active.filter((s) => s.id !== id);
    return this.get(id);
  }

  get(id: string): Silence | undefined {
    const row = this.statements.get.get(id) as SilenceRow | undefined;
    return row && this.toSilence(row);
  }

  /** The newest silences, in force or ended, with how many alerts each muted. */
  list(limit = 200): Silence[] {
    return (this.statements.list.all(limit) as SilenceRow[]).map((r) => this.toSilence(r));
  }

  /** The silence in force that matches the alert, if any (the one ending last). */
  match(alert: Alert, keys: SubjectKeys): Silence | undefined {
    if (this.active.length === 0) return undefined;
    const now = new Date(this.now()).toISOString();
    let found: Silence | undefined;
    for (const s of this.active) {
      if (s.endsAt <= now || !silenceMatches(s.matchers, alert, keys)) continue;
      if (found === undefined || s.endsAt > found.endsAt) found = s;
    }
    // Ended by time: forgotten here; the table keeps them.
    if (this.active.some((s) => s.endsAt <= now)) this.active = this.active.filter((s) => s.endsAt > now);
    return found;
  }

  private toSilence(r: SilenceRow): Silence {
    const ended = r.expired_at !== null || r.ends_at <= new Date(this.now()).toISOString();
    return {
      id: r.id,
      matchers: JSON.parse(r.matchers) as SilenceMatchers,
      author: r.author,
      reason: r.reason,
      createdAt: r.created_at,
      endsAt: r.ends_at,
      ...(r.expired_at !== null && { expiredAt: r.expired_at }),
      ...(r.expired_by !== null && { expiredBy: r.expired_by }),
      muted: r.muted,
      state: ended ? 'expired' : 'active',
    };
  }
}
