/**
 * What each role may do. One table, read by the server when a connection or request
 * arrives, and shown in docs/protocol.md.
 */
export const ROLES = ['producer', 'analyst', 'trainer', 'rule-author', 'admin', 'partner', 'joint-centre'] as const;
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
}

export const ROLE_RIGHTS: Readonly<Record<Role, RoleRights>> = {
  producer: { ingest: true, read: false, unmasked: false, triage: false, exchange: false, joint: false },
  analyst: { ingest: false, read: true, unmasked: true, triage: true, exchange: false, joint: true },
  trainer: { ingest: false, read: true, unmasked: false, triage: false, exchange: false, joint: false },
  'rule-author': { ingest: false, read: true, unmasked: false, triage: false, exchange: false, joint: false },
  admin: { ingest: false, read: true, unmasked: true, triage: true, exchange: false, joint: true },
  partner: { ingest: false, read: false, unmasked: false, triage: false, exchange: true, joint: false },
  // A joint border cooperation centre sees what the agreements offer, never the feed itself.
  'joint-centre': { ingest: false, read: false, unmasked: false, triage: false, exchange: false, joint: true },
};
