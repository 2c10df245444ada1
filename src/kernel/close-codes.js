/**
 * The WebSocket close codes of `/ingest` and `/alerts` (docs/protocol.md), in one table
 * for the server, the Node client and the analysts' console. Plain JavaScript, so that
 * the console's page loads this very file (served at `/kernel/close-codes.js`); its
 * types are in `close-codes.d.ts` beside it.
 */
export const CloseCode = Object.freeze({
  /** The server is stopping (or a replay finished): reconnect, resending what was not acknowledged, or with `since`. */
  goingAway: 1001,
  /** An ingest frame was larger than the server's limit (ws's standard code for it). */
  frameTooLarge: 1009,
  /** Unmasked alerts cannot be sent because the audit log cannot be written (a full disk, say): reconnect later with `since`. */
  auditUnavailable: 1011,
  /** The subscriber fell too far behind: reconnect with `since` = the last seq it received. */
  tooSlow: 4008,
  /** The subscription in the connection URL was invalid. */
  badSubscription: 4400,
  /** No token, an unknown one, or one revoked (also while connected). */
  unauthenticated: 4401,
  /** A valid token whose role (or posts) may not use this endpoint. */
  forbidden: 4403,
});
