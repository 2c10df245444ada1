import type http from 'node:http';
import { WebSocketServer } from 'ws';
import type { Identity } from '../auth/authenticator.ts';
import type { EventSource } from '../ingest/event-source.ts';
import type { DeadLetters } from '../journal/dead-letters.ts';
import { CloseCode } from '../kernel/close-codes.js';
import { selectProtocol } from './auth-gate.ts';
import { IngestFlow, type IngestFlowOptions } from './ingest-flow.ts';
import { serveIngest } from './ingest-socket.ts';

export interface IngestEndpointOptions {
  /** Largest frame accepted; a larger one closes the connection with 1009. */
  maxFrameBytes: number;
  flow?: IngestFlowOptions | undefined;
  /** Where frames the WebSocket layer refuses (oversize, not UTF-8) are noted. */
  deadLetters: Pick<DeadLetters, 'append'>;
  log: (line: string) => void;
  now: () => number;
}

/** `/ingest` over WebSocket: an event source, and the server the upgrade router hands its connections to. */
export interface IngestEndpoint extends EventSource {
  readonly server: WebSocketServer;
  readonly flow: IngestFlow;
  /** Tells every producer the server is going away. */
  closeAll(): void;
}

/** The WebSocket ingest as an {@link EventSource}: each producer connection is one ingest session. */
export function ingestEndpoint(options: IngestEndpointOptions): IngestEndpoint {
  const { maxFrameBytes, deadLetters, log, now } = options;
  const flow = new IngestFlow(options.flow);
  const server = new WebSocketServer({ noServer: true, maxPayload: maxFrameBytes, handleProtocols: selectProtocol });
  return {
    name: 'ws /ingest',
    server,
    flow,
    start(ingest) {
      const connected = (socket: import('ws').WebSocket, request: http.IncomingMessage, identity?: Identity): void => {
        socket.on('error', (error) => {
          // ws closes the socket itself (1009 for an oversize frame); keep a trace of why.
          log(`ingest connection from ${request.socket.remoteAddress ?? '?'} closed: ${error.message}`);
          deadLetters.append(
            {
              at: new Date(now()).toISOString(),
              connection: 'ingest',
              frame: 0,
              index: 0,
              // ws's stable codes: an oversize frame, or a text frame that is not UTF-8 (closed with 1007).
              issues: [{ path: '', message: `frame refused: ${error.message}${(error as { code?: string }).code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH' ? ` (limit ${maxFrameBytes} bytes)` : ''}` }],
              payload: null,
            },
            identity?.tokenId ?? `address ${request.socket.remoteAddress ?? '?'}`,
          );
        });
        serveIngest(socket, request.socket, ingest, flow, { ...(identity && { posts: identity.posts, producer: identity.tokenId }) }, now);
      };
      server.on('connection', connected);
      return { stop: () => void server.off('connection', connected) };
    },
    closeAll() {
      for (const client of server.clients) client.close(CloseCode.goingAway, 'server shutting down');
    },
  };
}
