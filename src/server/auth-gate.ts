import type http from 'node:http';
import path from 'node:path';
import type { WebSocket } from 'ws';
import { AuditLog } from '../auth/audit-log.ts';
import { Authenticator, type Identity } from '../auth/authenticator.ts';
import { AlertMasker, loadMaskKey } from '../auth/mask-alert.ts';
import { ROLE_RIGHTS } from '../auth/roles.ts';
import type { SubscriberAccess } from '../push/alert-hub.ts';
import type { AlertScope } from '../push/exercise-scope.ts';
import type { StoredAlert } from '../store/alert-log.ts';
import { CloseCode } from '../kernel/close-codes.js';

/** The subprotocol a client offers beside `bearer.<token>`; the server selects it, never the token. */
export const SUBPROTOCOL = 'border-risk';
const BEARER_PROTOCOL = 'bearer.';

export type Endpoint = 'ingest' | 'alerts' | 'exchange';

export type GateResult = { ok: true; identity: Identity } | { ok: false; code: number; status: number; reason: string };

/**
 * The token found in a request: `Authorization: Bearer <token>`, or, for browsers (whose
 * WebSocket cannot set headers), a `bearer.<token>` element of `Sec-WebSocket-Protocol`.
 * Never the URL: URLs end up in proxy and access logs.
 */
export function presentedSecret(request: http.IncomingMessage): string | undefined {
  // Only a Bearer header counts: a proxy's Basic credentials, which browsers resend on the
  // upgrade, must not hide the token the console offers as a subprotocol.
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
  if (bearer !== undefined) return bearer;
  for (const protocol of request.headers['sec-websocket-protocol']?.split(',') ?? []) {
    const p = protocol.trim();
    if (p.startsWith(BEARER_PROTOCOL)) return p.slice(BEARER_PROTOCOL.length);
  }
  return undefined;
}

/** `ws`'s `handleProtocols`: selects `border-risk` when offered, so that the token is never echoed back. */
export function selectProtocol(protocols: Set<string>): string | false {
  return protocols.has(SUBPROTOCOL) ? SUBPROTOCOL : false;
}

/**
 * The server's side of authentication: who a connection or request is, what its role
 * may do, masking for roles without access to personal data, the audit log of every
 * read, and closing the connections of a token that is revoked while they are open.
 */
export class AuthGate {
  readonly authenticator: Authenticator;
  readonly audit: AuditLog;
  private readonly masker: AlertMasker;
  private readonly open = new Map<string, Set<WebSocket>>();

  /** The exercise running in this processor, whose alerts trainees work on (docs/casework.md#exercises). */
  private readonly exercise: string | undefined;

  /** Reads the tokens file (a ConfigError if it is bad); call `authenticator.watch()` to follow its changes. */
  constructor(options: { tokensFile: string; dataDir: string; log: (line: string) => void; exercise?: string | undefined }) {
    this.exercise = options.exercise;
    this.authenticator = new Authenticator(options.tokensFile, { log: options.log, onRevoked: (ids) => this.closeRevoked(ids) });
    this.masker = new AlertMasker(loadMaskKey(options.dataDir));
    this.audit = new AuditLog(path.join(options.dataDir, 'audit.ndjson'), options.log);
  }

  /** Whether the request's token may use `endpoint`; the reasons never include the secret. */
  check(request: http.IncomingMessage, endpoint: Endpoint | 'api' | 'joint' | 'dashboard'): GateResult {
    const result = this.authenticator.authenticate(presentedSecret(request));
    if (!result.ok) {
      const reason =
        result.reason === 'missing'
          ? 'authentication required: send Authorization: Bearer <token> (browsers: subprotocol bearer.<token>)'
          : result.reason === 'revoked'
            ? 'token revoked'
            : 'unknown token';
      return { ok: false, code: CloseCode.unauthenticated, status: 401, reason };
    }
    const { identity } = result;
    const rights = ROLE_RIGHTS[identity.role];
    const allowed = endpoint === 'ingest' ? rights.ingest : endpoint === 'exchange' ? rights.exchange : endpoint === 'joint' ? rights.joint : endpoint === 'dashboard' ? rights.dashboard : rights.read;
    if (!allowed) {
      const reason =
        endpoint === 'ingest'
          ? `role ${identity.role} may not send events; /ingest is for producer tokens`
          : endpoint === 'exchange'
            ? `role ${identity.role} may not link to /exchange; it is for partner tokens`
            : endpoint === 'joint'
              ? `role ${identity.role} may not use the exchange; joint-centre, analyst and admin tokens may`
              : endpoint === 'dashboard'
                ? `role ${identity.role} may not read the dashboard; supervisor and admin tokens may`
                : `role ${identity.role} may not read alerts${identity.role === 'producer' ? '; a producer token is for /ingest only' : ''}`;
      return { ok: false, code: CloseCode.forbidden, status: 403, reason };
    }
    return { ok: true, identity };
  }

  /**
   * `check` for an HTTP request: the identity when allowed; otherwise the request is
   * answered (401 with `www-authenticate: Bearer`, or 403) with the reason as JSON, and
   * the result is undefined.
   */
  admit(request: http.IncomingMessage, response: http.ServerResponse, endpoint: 'api' | 'joint' | 'dashboard'): Identity | undefined {
    const checked = this.check(request, endpoint);
    if (checked.ok) return checked.identity;
    response.writeHead(checked.status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...(checked.status === 401 && { 'www-authenticate': 'Bearer' }) });
    response.end(JSON.stringify({ error: checked.reason }));
    return undefined;
  }

  /** Whether this identity's role sees personal data masked. */
  masked(identity: Identity): boolean {
    return !ROLE_RIGHTS[identity.role].unmasked;
  }

  /** The pseudonym masked roles see for a personal value (the same as in their masked alerts). */
  pseudonym(kind: 'doc' | 'name' | 'plate', value: string): string {
    return this.masker.pseudonym(kind, value);
  }

  /** The alerts this identity works in: live ones (undefined), or for a trainee the running exercise's (null: none runs). */
  scopeOf(identity: Identity): AlertScope {
    return ROLE_RIGHTS[identity.role].exercise ? (this.exercise ?? null) : undefined;
  }

  /** Keeps the socket so that revoking its token closes it. */
  track(identity: Identity, socket: WebSocket): void {
    let sockets = this.open.get(identity.tokenId);
    if (!sockets) this.open.set(identity.tokenId, (sockets = new Set()));
    sockets.add(socket);
    socket.once('close', () => {
      sockets.delete(socket);
      if (sockets.size === 0) this.open.delete(identity.tokenId);
    });
  }

  /** What a subscriber with this identity sees and may do on `/alerts`. */
  subscriberAccess(identity: Identity, address: string): SubscriberAccess {
    const rights = ROLE_RIGHTS[identity.role];
    const masked = !rights.unmasked;
    return {
      ...(masked && { mask: this.masker }),
      // Every read is on record, masked ones too: a masked role's filters are how it could
      // probe for what it is not shown, so what it asked for is kept with what it got.
      onRead: (seqs, how, filter) => this.audit.read(identity, address, `alerts:${how}`, seqs, { masked, filter }),
      ...(!rights.triage && { triageRefused: `role ${identity.role} may not triage alerts (analysts and administrators may); nothing was changed` }),
      by: identity.name,
      role: identity.role,
      ...(rights.exercise && { scope: this.scopeOf(identity) }),
    };
  }

  /**
   * One stored alert for an HTTP reader, masked for its role, audited before it is
   * returned; undefined when the audit log cannot record the read (the reader gets a 503).
   */
  alertForReader(identity: Identity, address: string, stored: StoredAlert): unknown {
    const body = { seq: stored.seq, alert: stored.alert, triage: stored.triage };
    const masked = !ROLE_RIGHTS[identity.role].unmasked;
    if (!this.audit.read(identity, address, `GET /api/alerts/${stored.seq}`, [stored.seq], { masked })) return undefined;
    return masked ? this.masker.mask(stored.alert, body) : body;
  }

  close(): void {
    this.authenticator.close();
    this.audit.close();
  }

  private closeRevoked(ids: readonly string[]): void {
    for (const id of ids) {
      for (const socket of this.open.get(id) ?? []) socket.close(CloseCode.unauthenticated, 'token revoked');
    }
  }
}
