import WebSocket from 'ws';
import { toError } from '../errors.ts';
import type { ExchangeMessage } from '../exchange/exchange-messages.ts';
import type { ExchangeTransport, LinkStatus, PartnerLink } from './partner-link.ts';

export interface WsTransportOptions {
  /** Certificates to trust for `wss://` partners beside the system's (a partner's self-signed one). */
  ca?: string | Buffer;
  /** First wait before reconnecting, doubled up to `maxRetryMs`. @default 100 */
  retryMs?: number;
  /** @default 5000 */
  maxRetryMs?: number;
  /** Messages held while the link is down; beyond it the oldest are dropped and logged. @default 10_000 */
  maxQueued?: number;
  log?: (line: string) => void;
}

/**
 * Links to partners' processors over WebSocket: a client to each partner's `/exchange`
 * presenting the token the partner issued (`Authorization: Bearer`), reconnecting with
 * backoff, holding messages while the link is down.
 */
export function wsTransport(options: WsTransportOptions = {}): ExchangeTransport {
  const { retryMs = 100, maxRetryMs = 5_000, maxQueued = 10_000, log = () => undefined } = options;
  return {
    open(spec, onOpen) {
      const queue: string[] = [];
      let socket: WebSocket | undefined;
      let state: LinkStatus['state'] = 'connecting';
      let sent = 0;
      let lastError: string | undefined;
      let wait = retryMs;
      let timer: NodeJS.Timeout | undefined;
      let closed = false;

      const write = (text: string): void => {
        socket!.send(text);
        sent++;
      };
      const link: PartnerLink = {
        send(message: ExchangeMessage) {
          const text = JSON.stringify(message);
          if (state === 'open' && socket?.readyState === WebSocket.OPEN) return void write(text);
          if (closed) return;
          queue.push(text);
          if (queue.length > maxQueued) {
            queue.shift();
            log(`exchange link to ${spec.partner}: more than ${maxQueued} messages waiting; the oldest was dropped`);
          }
        },
        status: () => ({ state, to: spec.url, queued: queue.length, sent, ...(lastError !== undefined && { lastError }) }),
        close() {
          closed = true;
          state = 'closed';
          clearTimeout(timer);
          socket?.close(1000, 'agreement ended');
          queue.length = 0;
        },
      };

      const connect = (): void => {
        if (closed) return;
        state = 'connecting';
        const ws = new WebSocket(spec.url, { headers: { authorization: `Bearer ${spec.token}` }, ...(options.ca && { ca: options.ca }), perMessageDeflate: false });
        socket = ws;
        ws.on('open', () => {
          wait = retryMs;
          lastError = undefined;
          state = 'open';
          onOpen(link);
          while (queue.length > 0 && ws.readyState === WebSocket.OPEN) write(queue.shift()!);
        });
        ws.on('message', () => {
          // The partner answers on its own link to us, not on this one.
        });
        ws.on('error', (error) => {
          lastError = toError(error).message;
        });
        ws.on('close', (code, reason) => {
          if (closed) return;
          if (code !== 1006) lastError = `closed ${code}${reason.length > 0 ? ` ${reason.toString()}` : ''}`;
          state = 'connecting';
          timer = setTimeout(connect, wait);
          timer.unref();
          wait = Math.min(wait * 2, maxRetryMs);
        });
      };
      connect();
      return link;
    },
  };
}
