import { createHash } from 'node:crypto';
import type http from 'node:http';
import { z } from 'zod';
import { formatPath } from '../model/event.ts';
import type { AuthGate } from '../server/auth-gate.ts';
import type { StepResult } from './detail-requests.ts';
import type { ExchangeService } from './exchange-service.ts';

/** Largest request body taken. */
const MAX_BODY_BYTES = 16 * 1024;

const RequestBody = z.strictObject({
  partner: z.string().min(1).max(63),
  ref: z.string().min(1).max(40),
  purpose: z.string().max(1000),
  alertSeq: z.int().min(1).optional(),
});
const DecisionBody = z.strictObject({ decision: z.enum(['approve', 'refuse']), reason: z.string().max(1000).optional() });

/**
 * The exchange's HTTP API, for the joint centre's page and analysts' tools
 * (docs/exchange.md): `GET /api/exchange` (the joint view), `POST /api/exchange/requests`
 * (ask a partner for details), `POST /api/exchange/requests/ID/decision` (approve or refuse
 * a partner's request), `GET /api/exchange/requests/ID/details` (read what a partner
 * released). Open to tokens whose role has the `joint` right; every step is audited by the
 * exchange. Returns false for paths that are not its own.
 */
export function exchangeRoutes(service: ExchangeService, gate: AuthGate): (request: http.IncomingMessage, response: http.ServerResponse) => boolean {
  // What each token last saw of the view: a read is audited when it shows something new,
  // not at every poll of an open page.
  const lastSeen = new Map<string, string>();
  return (request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname !== '/api/exchange' && !url.pathname.startsWith('/api/exchange/')) return false;
    const json = (status: number, body: unknown): void => {
      response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      response.end(JSON.stringify(body));
    };
    const who = gate.admit(request, response, 'joint');
    if (!who) return true;
    const address = request.socket.remoteAddress ?? '?';
    const reply = <T>(result: StepResult<T>, status = 200): void => (result.ok ? json(status, result.value) : json(result.status, { error: result.error }));

    if (request.method === 'GET' && url.pathname === '/api/exchange') {
      const view = service.view();
      const body = JSON.stringify(view);
      const digest = createHash('sha256').update(body).digest('hex');
      if (lastSeen.get(who.tokenId) !== digest) {
        if (!service.auditView(who, address, view)) {
          json(503, { error: 'the audit log cannot be written (see the server log), so the exchange view is not served; try again later' });
          return true;
        }
        lastSeen.set(who.tokenId, digest);
      }
      response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      response.end(body);
      return true;
    }
    const details = /^\/api\/exchange\/requests\/(req-[0-9a-f]+)\/details$/.exec(url.pathname);
    if (request.method === 'GET' && details) {
      reply(service.requests.details(who, address, details[1]!));
      return true;
    }
    const decision = /^\/api\/exchange\/requests\/(req-[0-9a-f]+)\/decision$/.exec(url.pathname);
    if (request.method === 'POST' && (url.pathname === '/api/exchange/requests' || decision)) {
      readJson(request, (body) => {
        if (body instanceof Error) return json(400, { error: body.message });
        if (decision) {
          const parsed = DecisionBody.safeParse(body);
          if (!parsed.success) return json(400, { error: issues(parsed.error.issues) });
          reply(service.requests.decide(who, address, decision[1]!, parsed.data.decision === 'approve' ? 'approved' : 'refused', parsed.data.reason));
          return;
        }
        const parsed = RequestBody.safeParse(body);
        if (!parsed.success) return json(400, { error: issues(parsed.error.issues) });
        const { partner, ref, purpose, alertSeq } = parsed.data;
        reply(service.requests.request(who, address, { partner, ref, purpose, ...(alertSeq !== undefined && { alertSeq }) }), 201);
      });
      return true;
    }
    json(404, { error: `no ${request.method} ${url.pathname} in the exchange API` });
    return true;
  };
}

function issues(list: readonly z.core.$ZodIssue[]): string {
  return list.map((i) => `${formatPath(i.path) || '(body)'}: ${i.message}`).join('; ');
}

function readJson(request: http.IncomingMessage, done: (body: unknown) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let over = false;
  request.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) over = true;
    else chunks.push(chunk);
  });
  request.on('end', () => {
    if (over) return done(new Error(`the body is larger than ${MAX_BODY_BYTES} bytes`));
    try {
      done(JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown);
    } catch {
      done(new Error('the body must be JSON'));
    }
  });
  request.on('error', (error) => done(error));
}
