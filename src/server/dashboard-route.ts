import type http from 'node:http';
import { readDashboard } from '../store/dashboard.ts';
import type { AlertStore } from '../store/alert-store.ts';
import type { AuthGate } from './auth-gate.ts';

/** Most hours of time to acknowledge the dashboard reads back: 30 days. */
const MAX_WINDOW_HOURS = 720;
/**
 * An answer is reused for this long: the queries run on the thread that ingests events
 * (tens of ms on a million alerts), and every open page asks every 2 s.
 */
const REUSE_MS = 1000;

/**
 * `GET /api/dashboard?hours=24` (docs/protocol.md, *Dashboard*): backlog and time to
 * acknowledge per post and severity, for roles with the `dashboard` right (supervisors,
 * administrators). Counts and times only, so nothing is masked and no alert's read is
 * audited. Returns whether the request was its own.
 */
export function dashboardRoute(store: AlertStore, gate: AuthGate | undefined, now: () => number): (request: http.IncomingMessage, response: http.ServerResponse) => boolean {
  const recent = new Map<number, { at: number; body: string }>();
  return (request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname !== '/api/dashboard') return false;
    const json = (status: number, body: unknown): void => {
      response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      response.end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    if (request.method !== 'GET') {
      response.setHeader('allow', 'GET');
      json(405, { error: 'the dashboard is read with GET' });
      return true;
    }
    if (gate && !gate.admit(request, response, 'dashboard')) return true;
    const hours = url.searchParams.get('hours') ?? '24';
    if (!/^\d+$/.test(hours) || Number(hours) < 1 || Number(hours) > MAX_WINDOW_HOURS) {
      json(400, { error: `hours must be a whole number of hours from 1 to ${MAX_WINDOW_HOURS}, got "${hours}"` });
      return true;
    }
    const at = now();
    let answer = recent.get(Number(hours));
    if (answer === undefined || at - answer.at >= REUSE_MS || at < answer.at) {
      answer = { at, body: JSON.stringify(readDashboard(store.database, { now: at, windowHours: Number(hours) })) };
      recent.set(Number(hours), answer);
    }
    json(200, answer.body);
    return true;
  };
}
