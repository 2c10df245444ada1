import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { ConfigError } from '../errors.ts';
import { applyControl } from './control-protocol.ts';
import type { Replayer, ReplayStatus } from './replayer.ts';
import { CloseCode } from '../kernel/close-codes.js';

export interface ControlServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Status pushes at most this often while playing; every change of state is sent at once. */
const STATUS_EVERY_MS = 1_000;

/**
 * The thin `ws` adapter of replay control: `ws://host:port/control` takes control
 * messages (control-protocol.ts) and sends `{"type":"status",...}` to every client on
 * each change and every second, and `{"type":"error",...}` to a client whose message
 * was refused.
 */
export async function serveControl(replayer: Replayer, { host = '127.0.0.1', port = 0 }: { host?: string; port?: number } = {}): Promise<ControlServer> {
  const server = http.createServer((_request, response) => {
    response.writeHead(404, { 'content-type': 'text/plain' });
    response.end('replay control: WebSocket at /control\n');
  });
  const sockets = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  const send = (socket: WebSocket, message: unknown): void => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
  };
  const broadcast = (status: ReplayStatus): void => {
    for (const client of sockets.clients) send(client, { type: 'status', ...status });
  };
  replayer.on('status', broadcast);
  const ticker = setInterval(() => broadcast(replayer.status()), STATUS_EVERY_MS);
  ticker.unref();
  sockets.on('connection', (socket) => {
    send(socket, { type: 'status', ...replayer.status() });
    socket.on('message', (data) => {
      const result = applyControl(replayer, data.toString());
      if (!result.ok) send(socket, { type: 'error', message: result.message, issues: result.issues });
      // A status request (or a control that changed nothing) still gets an answer.
      else send(socket, { type: 'status', ...replayer.status() });
    });
  });
  server.on('upgrade', (request, socket, head) => {
    if (new URL(request.url ?? '/', 'http://localhost').pathname !== '/control') {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => sockets.emit('connection', ws, request));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(error.code === 'EADDRINUSE' ? new ConfigError(`control port ${port} is already in use`) : error));
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `ws://${host}:${address.port}/control`,
    port: address.port,
    async close() {
      clearInterval(ticker);
      replayer.off('status', broadcast);
      for (const client of sockets.clients) client.close(CloseCode.goingAway, 'replay finished');
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
