import type { FrameSink } from './event-source.ts';
import type { IngestReply } from './protocol.ts';

export interface IngestSessionOptions {
  /** Connection id, kept with dead letters. */
  connection: string;
  /** Where frames go: the pipeline's ingest. */
  ingest: FrameSink;
  /**
   * Gets each reply in frame order, once every earlier frame's reply has come, with the
   * size of the frame it answers (for flow control).
   */
  deliver(reply: IngestReply, frameSize: number): void;
  /** The posts the producer may send for (its token's); undefined: any. */
  posts?: ReadonlySet<string>;
  /** Who sends (a token id), for the bounds on what rejections may write. */
  producer?: string;
  /** @default Date.now */
  now?: () => number;
}

/**
 * The ingest protocol's core for one producer session, whatever carries it: frames are
 * numbered from 1 and stamped with the time of receipt and the producer's scope, and
 * replies (one per frame, which may come in any order: a frame of rejects is answered
 * before an earlier frame's events are durable) are delivered in frame order, so that a
 * producer can match acks to frames by position. An adapter (WebSocket, broker) only
 * moves bytes: `receive` what the transport read, send what `deliver` is given.
 */
export class IngestSession {
  private readonly options: IngestSessionOptions;
  private received = 0;
  private nextToDeliver = 1;
  private readonly ready = new Map<number, IngestReply>();
  private readonly sizes = new Map<number, number>();

  constructor(options: IngestSessionOptions) {
    this.options = options;
  }

  /** Hands one frame's text to the pipeline; returns its frame number. */
  receive(data: string): number {
    const { connection, ingest, posts, producer, now = Date.now } = this.options;
    this.received += 1;
    const frame = this.received;
    this.sizes.set(frame, data.length);
    ingest({
      connection,
      frame,
      receivedAt: now(),
      data,
      ...(posts && { posts }),
      ...(producer !== undefined && { producer }),
      respond: this.respond,
    });
    return frame;
  }

  /** One function for every frame of the session, rather than a closure made per frame. */
  private readonly respond = (reply: IngestReply): void => {
    this.ready.set(reply.frame, reply);
    this.deliverReady();
  };

  private deliverReady(): void {
    for (let reply = this.ready.get(this.nextToDeliver); reply !== undefined; reply = this.ready.get(this.nextToDeliver)) {
      this.ready.delete(this.nextToDeliver);
      const size = this.sizes.get(this.nextToDeliver) ?? 0;
      this.sizes.delete(this.nextToDeliver);
      this.nextToDeliver += 1;
      this.options.deliver(reply, size);
    }
  }
}
