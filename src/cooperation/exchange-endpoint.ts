import type http from 'node:http';
import { type WebSocket, WebSocketServer } from 'ws';
import type { Identity } from '../auth/authenticator.ts';
import { toError } from '../errors.ts';
import { type ExchangeMessage, ExchangeMessageSchema } from '../exchange/exchange-messages.ts';
import { CloseCode } from '../kernel/close-codes.js';
import { formatPath } from '../model/event.ts';
import type { ExchangeService } from './exchange-service.ts';

/** Largest message a partner may send: a token set of some 300,000 tokens. */
const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
/** WebSocket's "policy violation": a message that is not the exchange protocol. */
const POLICY_VIOLATION = 1008;

/**
 * `/exchange` over WebSocket: the inbound half of the links to partners' processors. Each
 * connection carries a `partner` token whose name is the partner's agency id; its first
 * message is `hello` from that agency, under an agreement in force here. Anything else
 * closes the connection (4403 without an agreement, 1008 for a message outside the
 * protocol). Revoking the agreement closes its partner's connections.
 */
export function exchangeEndpoint(service: ExchangeService, log: (line: string) => void): WebSocketServer {
  const server = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES, perMessageDeflate: false });
  const open = new Map<string, Set<WebSocket>>();
  service.onPartnerEnded((partner) => {
    for (const socket of open.get(partner) ?? []) socket.close(CloseCode.forbidden, 'exchange agreement revoked');
    open.delete(partner);
  });
  server.on('connection', (socket: WebSocket, request: http.IncomingMessage, identity?: Identity) => {
    const address = request.socket.remoteAddress ?? '?';
    socket.on('error', (error) => log(`exchange connection from ${address} closed: ${error.message}`));
    if (!identity) {
      socket.close(CloseCode.forbidden, 'the exchange needs authentication (a tokens file)');
      return;
    }
    const partner = identity.name;
    let greeted = false;
    socket.on('message', (data, isBinary) => {
      let message: ExchangeMessage;
      try {
        if (isBinary) throw new Error('binary message');
        const parsed = ExchangeMessageSchema.safeParse(JSON.parse(data.toString()));
        if (!parsed.success) throw new Error(parsed.error.issues.slice(0, 3).map((i) => `${formatPath(i.path) || '(message)'}: ${i.message}`).join('; '));
        message = parsed.data;
      } catch (error) {
        log(`exchange: message from ${partner} (${address}) refused: ${toError(error).message}`);
        socket.close(POLICY_VIOLATION, 'not an exchange protocol message');
        return;
      }
      if (!greeted) {
        const agreement = service.agreementWith(partner);
        if (message.type !== 'hello' || message.from !== partner || !agreement || agreement.def.agreement !== message.agreement) {
          const why = !agreement ? `no exchange agreement with ${partner} is in force` : message.type !== 'hello' ? 'the first message must be hello' : `hello names ${message.type === 'hello' ? `${message.from} under ${message.agreement}` : ''}, not ${partner} under ${agreement.def.agreement}`;
          log(`exchange: link from ${partner} (${address}) refused: ${why}`);
          socket.close(CloseCode.forbidden, why.slice(0, 120));
          return;
        }
        greeted = true;
        let sockets = open.get(partner);
        if (!sockets) open.set(partner, (sockets = new Set()));
        sockets.add(socket);
        socket.once('close', () => sockets.delete(socket));
        return;
      }
      if (!service.agreementWith(partner)) {
        socket.close(CloseCode.forbidden, 'exchange agreement revoked');
        return;
      }
      service.receive(partner, message, identity, address);
    });
  });
  return server;
}
