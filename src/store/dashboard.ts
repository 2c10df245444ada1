import type Database from 'better-sqlite3';
import { SEVERITIES } from '../rules/rule-schema.ts';

/** One row of the dashboard: a post, a severity, or all live alerts. */
export interface DashboardRow {
  /** Live alerts not muted whose triage is still `new` (nobody acknowledged, assigned, escalated or dismissed them). */
  open: number;
  /** When the oldest of them was stored (ISO 8601), null when none is open. */
  oldestOpen: string | null;
  /** Alerts stored within the window. */
  raised: number;
  /** Of those, the ones someone acted on (a note alone does not count). */
  acknowledged: number;
  /** Time to acknowledge over `acknowledged`: from the alert being stored to the first action, ms, nearest rank; null when none. */
  medianMs: number | null;
  p90Ms: number | null;
}

export interface Dashboard {
  /** When it was computed (ISO 8601). */
  at: string;
  /** Time to acknowledge covers alerts stored since then (ISO 8601); the backlog covers every open alert, however old. */
  since: string;
  windowHours: number;
  all: DashboardRow;
  posts: (DashboardRow & { post: string })[];
  severities: (DashboardRow & { severity: string })[];
}

// Live (scope '') alerts that reached the feed (not muted): exercise alerts and muted
// ones are nobody's backlog. Each query reads one partial index of schema step 7: the
// backlog the open alerts' (alerts_live_open), the window its range of alerts_live_by_created.
// Named (INDEXED BY): without statistics the planner takes the unique index on (scope,
// alert_id) for \`scope = ''\` and reads every alert, 100 times slower at 200,000 alerts.
const BACKLOG_SQL = `
  SELECT post, severity, COUNT(*) AS open, MIN(created_at) AS oldestOpen FROM alerts INDEXED BY alerts_live_open
  WHERE scope = '' AND muted IS NULL AND first_action_at IS NULL
  GROUP BY post, severity`;

const RAISED_SQL = `
  SELECT post, severity, COUNT(*) AS raised FROM alerts INDEXED BY alerts_live_by_created
  WHERE scope = '' AND muted IS NULL AND created_at >= ?
  GROUP BY post, severity`;

// Median and p90 by nearest rank (the ceil(q·n)-th smallest, in integer arithmetic: SQLite
// may be built without CEIL), over three dimensions at once: each post, each severity, all.
const ACKNOWLEDGE_SQL = `
  WITH firsts AS (
    SELECT post, severity, (julianday(first_action_at) - julianday(created_at)) * 86400000.0 AS ms FROM alerts INDEXED BY alerts_live_by_created
    WHERE scope = '' AND muted IS NULL AND created_at >= ? AND first_action_at IS NOT NULL
  ),
  dims AS (
    SELECT 'post' AS dim, post AS key, ms FROM firsts
    UNION ALL SELECT 'severity', severity, ms FROM firsts
    UNION ALL SELECT 'all', '', ms FROM firsts
  ),
  ranked AS (
    SELECT dim, key, ms, ROW_NUMBER() OVER (PARTITION BY dim, key ORDER BY ms) AS rn, COUNT(*) OVER (PARTITION BY dim, key) AS n FROM dims
  )
  SELECT dim, key, n AS acknowledged,
         MIN(CASE WHEN rn = (n + 1) / 2 THEN ms END) AS medianMs,
         MIN(CASE WHEN rn = (9 * n + 9) / 10 THEN ms END) AS p90Ms
  FROM ranked GROUP BY dim, key`;

const empty = (): DashboardRow => ({ open: 0, oldestOpen: null, raised: 0, acknowledged: 0, medianMs: null, p90Ms: null });

/**
 * The supervisors' view of the live alerts, from the alert database: per post and per
 * severity, the backlog (open, unacknowledged alerts and the oldest of them) and, over
 * the alerts stored in the last `windowHours`, how many were acknowledged and how long
 * that took (median and p90). Holds counts and times only, nothing about anyone.
 */
export function readDashboard(db: Database.Database, options: { now: number; windowHours: number }): Dashboard {
  const since = new Date(options.now - options.windowHours * 3_600_000).toISOString();
  const all = empty();
  const posts = new Map<string, DashboardRow>();
  const severities = new Map<string, DashboardRow>();
  const rowOf = (map: Map<string, DashboardRow>, key: string): DashboardRow => {
    let row = map.get(key);
    if (!row) map.set(key, (row = empty()));
    return row;
  };
  const read = db.transaction(() => ({
    backlog: db.prepare(BACKLOG_SQL).all() as { post: string; severity: string; open: number; oldestOpen: string }[],
    raised: db.prepare(RAISED_SQL).all(since) as { post: string; severity: string; raised: number }[],
    acknowledged: db.prepare(ACKNOWLEDGE_SQL).all(since) as { dim: 'post' | 'severity' | 'all'; key: string; acknowledged: number; medianMs: number; p90Ms: number }[],
  }));
  const { backlog, raised, acknowledged } = read();
  for (const b of backlog) {
    for (const row of [all, rowOf(posts, b.post), rowOf(severities, b.severity)]) {
      row.open += b.open;
      if (row.oldestOpen === null || b.oldestOpen < row.oldestOpen) row.oldestOpen = b.oldestOpen;
    }
  }
  for (const r of raised) for (const row of [all, rowOf(posts, r.post), rowOf(severities, r.severity)]) row.raised += r.raised;
  for (const a of acknowledged) {
    const row = a.dim === 'all' ? all : rowOf(a.dim === 'post' ? posts : severities, a.key);
    Object.assign(row, { acknowledged: a.acknowledged, medianMs: Math.round(a.medianMs), p90Ms: Math.round(a.p90Ms) });
  }
  const rank = (s: string): number => SEVERITIES.indexOf(s as (typeof SEVERITIES)[number]);
  return {
    at: new Date(options.now).toISOString(),
    since,
    windowHours: options.windowHours,
    all,
    posts: [...posts].sort(([a], [b]) => a.localeCompare(b)).map(([post, row]) => ({ post, ...row })),
    severities: [...severities].sort(([a], [b]) => rank(b) - rank(a)).map(([severity, row]) => ({ severity, ...row })),
  };
}
