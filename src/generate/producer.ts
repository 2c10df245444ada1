import WebSocket from 'ws';
import { ConfigError, ConnectionError } from '../errors.ts';
import type { IngestReply } from '../ingest/protocol.ts';
import { connectOptions, ingestRefusal } from '../client/connect-options.ts';

export interface ProduceOptions {
  /** `ws://host:port/ingest` */
  url: string;
  /** A producer token, sent as `Authorization: Bearer`; needed by a server with authentication. */
  token?: string;
  /** Events per second; 0 sends as fast as acknowledgements allow. @default 0 */
  rate?: number;
  /** Events per frame: 1 sends plain JSON objects, more sends JSON arrays. @default 1 */
  batch?: number;
  /** Frames sent and not yet acknowledged before sending pauses. @default 256 */
  maxInFlight?: number;
  /** Stop after this many events. @default Infinity */
  limit?: number;
  /** Called with each reply, and the time from sending its frame to receiving the reply. */
  onReply?: (reply: IngestReply, latencyMs: number) => void;
  signal?: AbortSignal;
  /** Certificates to trust for `wss://` besides the system's (a self-signed server certificate, say). */
  ca?: string | Buffer;
}

export interface ProduceSummary {
  frames: number;
  events: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  failed: number;
  seconds: number;
}

/**
 * Streams events to an ingest endpoint over a real WebSocket, paced to a rate or
 * as fast as the server acknowledges, and resolves when every frame is answered.
 */
export function produce(events: Iterator<unknown>, options: ProduceOptions): Promise<ProduceSummary> {
  const { url, token, rate = 0, batch = 1, maxInFlight = 256, limit = Number.POSITIVE_INFINITY, onReply, signal, ca } = options;
  if (!(batch >= 1)) throw new ConfigError('batch must be at least 1');
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, connectOptions(token, ca));
    const summary: ProduceSummary = { frames: 0, events: 0, accepted: 0, duplicates: 0, rejected: 0, failed: 0, seconds: 0 };
    const sentAt = new Map<number, number>();
    let answered = 0;
    let exhausted = false;
    let started = 0;
    let timer: NodeJS.Timeout | undefined;

    const finish = (error?: Error): void => {
      if (timer) clearInterval(timer);
      summary.seconds = (performance.now() - started) / 1000;
      socket.removeAllListeners('close');
      if (socket.readyState === WebSocket.OPEN) socket.close(1000);
      if (error) reject(error);
      else resolve(summary);
    };

    const sendFrame = (): boolean => {
      const chunk: unknown[] = [];
      while (chunk.length < batch && summary.events + chunk.length < limit) {
        const next = events.next();
        if (next.done) break;
        chunk.push(next.value);
      }
      if (chunk.length === 0) {
        exhausted = true;
        return false;
      }
      summary.frames += 1;
      summary.events += chunk.length;
      sentAt.set(summary.frames, performance.now());
      socket.send(JSON.stringify(batch === 1 ? chunk[0] : chunk));
      if (summary.events >= limit) exhausted = true;
      return true;
    };

    const pump = (): void => {
      if (rate > 0) {
        const due = Math.floor(((performance.now() - started) / 1000) * rate);
        while (!exhausted && summary.events < due && summary.frames - answered < maxInFlight) sendFrame();
      } else {
        while (!exhausted && summary.frames - answered < maxInFlight) sendFrame();
      }
      if (exhausted && answered === summary.frames) finish();
    };

    socket.on('open', () => {
      started = performance.now();
      if (rate > 0) timer = setInterval(pump, 10);
      pump();
    });
    socket.on('message', (data) => {
      const reply = JSON.parse(data.toString()) as IngestReply;
      answered += 1;
      summary.accepted += reply.accepted;
      summary.duplicates += reply.duplicates;
      summary.rejected += reply.rejected;
      summary.failed += reply.failed;
      const sent = sentAt.get(reply.frame) ?? performance.now();
      sentAt.delete(reply.frame);
      onReply?.(reply, performance.now() - sent);
      pump();
    });
    socket.on('error', (error) => finish(error));
    socket.on('close', (code, reason) => {
      const refused = ingestRefusal(url, code, reason.toString());
      finish(
        refused !== undefined
          ? new ConfigError(refused)
          : new ConnectionError(`ingest connection closed (${code}${reason.length ? `: ${reason.toString()}` : ''}) after ${answered} of ${summary.frames} frames were answered`),
      );
    });
    signal?.addEventListener('abort', () => {
      exhausted = true;
      if (answered === summary.frames) finish();
    });
  });
}
