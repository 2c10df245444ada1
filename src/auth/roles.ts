/**
 * What each role may do. One table, read by the server when a connection or request
 * arrives, and shown in docs/protocol.md.
 */
export const ROLES = ['producer', 'analyst', 'trainer', 'trainee', 'rule-author', 'supervisor', 'admin', 'partner', 'joint-centre'] as const;
export type Role = (typeof ROLES)[number];

export interface RoleRights {
  /** May connect to `/ingest` and send events (for its own posts only). */
  ingest: boolean;
  /** May subscribe to `/alerts` and read the HTTP API. */
  read: boolean;
  /** Sees personal data; otherwise every alert it gets is masked (docs/security.md). */
  unmasked: boolean;
  /** May acknowledge, assign, escalate, dismiss and annotate alerts. */
  triage: boolean;
  /** May link a partner agency's processor to `/exchange` (the token's name is the partner's agency id). */
  exchange: boolean;
  /** May use the joint centre's view and the exchange API (`/joint`, `/api/exchange`): offered alerts, matches, requests for details. */
  joint: boolean;
  /**
   * Works in the running exercise's scope only (docs/casework.md#exercises): sees and
   * triages that exercise's alerts, never live ones; with no exercise running, nothing.
   */
  exercise: boolean;
  /** May read the oversight dashboard (`/dashboard`, `GET /api/dashboard`): backlog and time to acknowledge, counts only. */
  dashboard: boolean;
}

export const ROLE_RIGHTS: Readonly<Record<Role, RoleRights>> = {
  producer: { ingest: true, read: false, unmasked: false, triage: false, exchange: false, joint: false, exercise: false, dashboard: false },
  analyst: { ingest: false, read: true, unmasked: true, triage: true, exchange: false, joint: true, exercise: false, dashboard: false },
  trainer: { ingest: false, read: true, unmasked: false, triage: false, exchange: false, joint: false, exercise: false, dashboard: false },
  // Triages in an exercise, on masked alerts, scored by `exercise report`; live alerts are out of its reach.
  trainee: { ingest: false, read: true, unmasked: false, triage: true, exchange: false, joint: false, exercise: true, dashboard: false },
  'rule-author': { ingest: false, read: true, unmasked: false, triage: false, exchange: false, joint: false, exercise: false, dashboard: false },
  // Oversees the posts' backlog and time to acknowledge; watches the feed masked, does not triage.
  supervisor: { ingest: false, read: true, unmasked: false, triage: false, exchange: false, joint: false, exercise: false, dashboard: true },
  admin: { ingest: false, read: true, unmasked: true, triage: true, exchange: false, joint: true, exercise: false, dashboard: true },
  partner: { ingest: false, read: false, unmasked: false, triage: false, exchange: true, joint: false, exercise: false, dashboard: false },
  // A joint border cooperation centre sees what the agreements offer, never the feed itself.
  'joint-centre': { ingest: false, read: false, unmasked: false, triage: false, exchange: false, joint: true, exercise: false, dashboard: false },
};
