import WebSocket from 'ws';
import { connectOptions, ingestRefusal } from '../client/connect-options.ts';
import type { IngestReply } from '../ingest/protocol.ts';
import type { BorderEvent } from '../model/event.ts';
import { ConnectionError } from '../errors.ts';

/** Where a replay sends its events. */
export interface ReplaySink {
  /** Sends events as one frame, in order; resolves when the frame is acknowledged. */
  send(events: readonly BorderEvent[]): Promise<IngestReply>;
  /** Frames sent and not yet acknowledged. */
  readonly inFlight: number;
  /**
   * Settles when the connection ends by the other side, with why (a refused token's close
   * code and reason), so that a replay stops at once rather than at its next frame.
   */
  readonly lost?: Promise<Error>;
  close(): Promise<void>;
}

export interface SinkTotals {
  accepted: number;
  duplicates: number;
  rejected: number;
  failed: number;
}

/**
 * A producer connection to a processor's `/ingest`: one frame per `send`, JSON array
 * of events, replies matched to frames by number (the server answers in frame order).
 */
export class IngestSink implements ReplaySink {
  readonly totals: SinkTotals = { accepted: 0, duplicates: 0, rejected: 0, failed: 0 };
  private readonly socket: WebSocket;
  private readonly waiting = new Map<number, { resolve: (reply: IngestReply) => void; reject: (error: Error) => void }>();
  private frames = 0;
  private closedError: Error | undefined;
  private closing = false;
  private reportLost: (error: Error) => void = () => {
    // Replaced by the `lost` promise's resolver as soon as it is made.
  };
  readonly lost = new Promise<Error>((resolve) => {
    this.reportLost = resolve;
  });

  private constructor(socket: WebSocket) {
    this.socket = socket;
    socket.on('message', (data) => {
      const reply = JSON.parse(data.toString()) as IngestReply;
      if (reply.type !== 'ack') return;
      settleReply(this.totals, this.waiting, reply);
    });
    socket.on('close', (code, reason) => {
      this.closedError = new ConnectionError(
        ingestRefusal(socket.url, code, reason.toString()) ??
          `ingest connection closed (${code}${reason.length > 0 ? `: ${reason.toString()}` : ''}) with ${this.waiting.size} frame(s) unacknowledged`,
      );
      for (const waiter of this.waiting.values()) waiter.reject(this.closedError);
      this.waiting.clear();
      if (!this.closing) this.reportLost(this.closedError);
    });
  }

  /**
   * Connects to `ws://host:port/ingest` (or `wss://`, trusting `ca` besides the system's
   * certificates), with a producer token when the server asks for one.
   */
  static connect(url: string, token?: string, ca?: string | Buffer): Promise<IngestSink> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, connectOptions(token, ca));
      // A refused token closes the connection just after it opens; the close code and reason
      // then come back as the error of the first send.
      socket.once('open', () => resolve(new IngestSink(socket)));
      socket.once('error', (error) => reject(new ConnectionError(`cannot connect to ${url}: ${error.message}`)));
    });
  }

  get inFlight(): number {
    return this.waiting.size;
  }

  send(events: readonly BorderEvent[]): Promise<IngestReply> {
    if (this.closedError) return Promise.reject(this.closedError);
    this.frames += 1;
    const frame = this.frames;
    return new Promise((resolve, reject) => {
      this.waiting.set(frame, { resolve, reject });
      this.socket.send(JSON.stringify(events));
    });
  }

  async close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return;
    this.closing = true;
    await new Promise<void>((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.close(1000);
    });
  }
}

/** Adds an acknowledgement to the totals and resolves the frame's waiter, whichever sink it came to. */
export function settleReply(totals: SinkTotals, waiting: Map<number, { resolve: (reply: IngestReply) => void }>, reply: IngestReply): void {
  totals.accepted += reply.accepted;
  totals.duplicates += reply.duplicates;
  totals.rejected += reply.rejected;
  totals.failed += reply.failed;
  const waiter = waiting.get(reply.frame);
  waiting.delete(reply.frame);
  waiter?.resolve(reply);
}
