import type http from 'node:http';
import type { Identity } from '../auth/authenticator.ts';
import { serveConsole } from '../console/serve-console.ts';
import type { Casework } from '../casework/casework.ts';
import { maskSilence, maskNonMatch } from '../push/casework-requests.ts';
import { scopeRefusal } from '../push/exercise-scope.ts';
import type { AlertStore } from '../store/alert-store.ts';
import type { AuthGate } from './auth-gate.ts';

export interface HttpRoutes {
  gate: AuthGate | undefined;
  store: AlertStore;
  casework: Casework;
  /** The body of `GET /health`. */
  health(): unknown;
  /** Further routes (the exchange's API), tried before the alert API; each returns whether the request was its own. */
  routes?: readonly ((request: http.IncomingMessage, response: http.ServerResponse) => boolean)[];
}

/**
 * The processor's HTTP routes: the console's page, `GET /health`, `GET /api/alerts/SEQ`
 * (masked or audited by the reader's role), `GET /api/rules/outcomes`, and the casework
 * lists `GET /api/silences` and `GET /api/non-matches` (masked by the reader's role).
 */
export function httpHandler({ gate, store, casework, health, routes = [] }: HttpRoutes): (request: http.IncomingMessage, response: http.ServerResponse) => void {
  return (request, response) => {
    if (serveConsole(request, response)) return;
    const url = new URL(request.url ?? '/', 'http://localhost');
    const json = (status: number, body: unknown): void => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (request.method === 'GET' && url.pathname === '/health') {
      json(200, health());
      return;
    }
    for (const route of routes) if (route(request, response)) return;
    let reader: Identity | undefined;
    if (gate && url.pathname.startsWith('/api/')) {
      const checked = gate.check(request, 'api');
      if (!checked.ok) {
        if (checked.status === 401) response.setHeader('www-authenticate', 'Bearer');
        json(checked.status, { error: checked.reason });
        return;
      }
      reader = checked.identity;
    }
    const alertPath = /^\/api\/alerts\/(\d+)$/.exec(url.pathname);
    if (request.method === 'GET' && alertPath) {
      const stored = store.get(Number(alertPath[1]));
      if (!stored) return void json(404, { error: `no alert with seq ${alertPath[1]} is held` });
      const outOfScope = gate && reader ? scopeRefusal(gate.scopeOf(reader), stored, 'read') : undefined;
      if (outOfScope !== undefined) return void json(403, { error: outOfScope });
      const body = gate && reader ? gate.alertForReader(reader, request.socket.remoteAddress ?? '?', stored) : { seq: stored.seq, alert: stored.alert, triage: stored.triage };
      if (body === undefined) json(503, { error: 'the audit log cannot be written (see the server log), so alerts are not served; try again later' });
      else json(200, body);
      return;
    }
    const liveCasework = url.pathname === '/api/silences' || url.pathname === '/api/non-matches' || url.pathname === '/api/rules/outcomes';
    if (liveCasework && gate && reader && gate.scopeOf(reader) !== undefined) {
      // A trainee works in an exercise's scope: live casework (analysts' reasons, subjects, outcomes) is refused, not only hidden.
      return void json(403, { error: `${url.pathname} is live casework: a trainee works only in an exercise's alerts` });
    }
    if (request.method === 'GET' && (url.pathname === '/api/silences' || url.pathname === '/api/non-matches')) {
      const pseudonym = gate && reader && gate.masked(reader) ? (kind: 'doc' | 'name' | 'plate', value: string) => gate.pseudonym(kind, value) : undefined;
      if (url.pathname === '/api/silences') json(200, casework.silences.list().map((s) => maskSilence(s, pseudonym)));
      else json(200, casework.nonMatches.list().map((n) => maskNonMatch(n, pseudonym)));
      return;
    }
    if (request.method === 'GET' && url.pathname === '/api/rules/outcomes') {
      json(200, store.ruleOutcomes());
      return;
    }
    response.writeHead(404, { 'content-type': 'text/plain' });
    response.end("The analysts' console is at /. WebSocket endpoints: /ingest (producers), /alerts (subscribers); GET /health, /api/alerts/SEQ, /api/dashboard, /api/rules/outcomes, /api/silences, /api/non-matches\n");
  };
}
