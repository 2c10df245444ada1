import type http from 'node:http';
import type { WebSocketServer } from 'ws';
import type { AuthGate, Endpoint } from './auth-gate.ts';

/**
 * Hands each WebSocket upgrade to the server of its path (`/ingest`, `/alerts`, and `/exchange` when exchange agreements are loaded), after
 * the gate checked its token when there is a gate; any other path gets a 404.
 */
export function routeUpgrades(server: http.Server, endpoints: Readonly<Partial<Record<Endpoint, WebSocketServer>>>, gate: AuthGate | undefined, log: (line: string) => void): void {
  server.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const endpoint = url.pathname === '/ingest' ? 'ingest' : url.pathname === '/alerts' ? 'alerts' : url.pathname === '/exchange' ? 'exchange' : null;
    const target = endpoint === null ? undefined : endpoints[endpoint];
    if (!endpoint || !target) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    target.handleUpgrade(request, socket, head, (ws) => {
      if (!gate) return void target.emit('connection', ws, request);
      // Refused after the upgrade, so that every client (browsers included) sees the close code and reason.
      const checked = gate.check(request, endpoint);
      if (!checked.ok) {
        log(`${url.pathname} connection from ${request.socket.remoteAddress ?? '?'} refused (${checked.code}): ${checked.reason}`);
        // ws goes on reading a closing socket: an oversize or malformed frame from the refused
        // client is then an 'error' event, which must not be left without a listener (a crash).
        ws.on('error', () => {
          // The refusal is logged above; the refused client's frame errors are not news.
        });
        ws.close(checked.code, checked.reason);
        return;
      }
      gate.track(checked.identity, ws);
      target.emit('connection', ws, request, checked.identity);
    });
  });
}
