import type http from 'node:http';
import { type WebSocket, WebSocketServer } from 'ws';
import type { Identity } from '../auth/authenticator.ts';
import type { AlertHub } from '../push/alert-hub.ts';
import { serveAlerts } from './alerts-socket.ts';
import { type AuthGate, selectProtocol } from './auth-gate.ts';

const MAX_SUBSCRIBER_MESSAGE_BYTES = 64 * 1024;

/** `/alerts` over WebSocket: each connection a subscriber of the hub, with what its identity may see. */
export function alertsEndpoint(hub: AlertHub, gate: AuthGate | undefined, log: (line: string) => void): WebSocketServer {
  const server = new WebSocketServer({ noServer: true, maxPayload: MAX_SUBSCRIBER_MESSAGE_BYTES, handleProtocols: selectProtocol });
  server.on('connection', (socket: WebSocket, request: http.IncomingMessage, identity?: Identity) => {
    socket.on('error', (error) => log(`alerts connection closed: ${error.message}`));
    const access = gate && identity ? gate.subscriberAccess(identity, request.socket.remoteAddress ?? '?') : {};
    serveAlerts(socket, request.socket, new URL(request.url ?? '/', 'http://localhost'), hub, access);
  });
  return server;
}
