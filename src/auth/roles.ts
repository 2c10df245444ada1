/**
 * What each role may do. One table, read by the server when a connection or request
 * arrives, and shown in docs/protocol.md.
 */
export const ROLES = ['producer', 'analyst', 'trainer', 'rule-author', 'admin'] as const;
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
}

export const ROLE_RIGHTS: Readonly<Record<Role, RoleRights>> = {
  producer: { ingest: true, read: false, unmasked: false, triage: false },
  analyst: { ingest: false, read: true, unmasked: true, triage: true },
  trainer: { ingest: false, read: true, unmasked: false, triage: false },
  'rule-author': { ingest: false, read: true, unmasked: false, triage: false },
  admin: { ingest: false, read: true, unmasked: true, triage: true },
};
