import type { EventIssue } from '../model/event.ts';

/**
 * One frame from a producer, as the transport hands it to the pipeline. The core
 * knows nothing of WebSockets: `respond` is called exactly once per frame, possibly
 * after the frame's events are durable, and the transport keeps replies in frame order.
 */
export interface IngestFrame {
  /** Transport-assigned connection id, kept with dead letters. */
  connection: string;
  /** 1-based frame number on its connection; the reply carries it back. */
  frame: number;
  /** Wall clock at receipt, milliseconds since the epoch. */
  receivedAt: number;
  data: string;
  /**
   * The border posts the connection's producer may send for (its token's posts); an
   * event for another post is rejected. Undefined: any post (no authentication).
   */
  posts?: ReadonlySet<string>;
  /**
   * Who sent it, for the bounds on what its rejections may write (a token id); undefined:
   * the connection counts as the producer.
   */
  producer?: string;
  respond(reply: IngestReply): void;
}

export const EventStatus = {
  /** Durably journaled and passed on to the pipeline. */
  accepted: 'accepted',
  /** Seen before (same event id); acknowledged again, not processed again. */
  duplicate: 'duplicate',
  /** Invalid; kept as a dead letter with the issues. Resending it unchanged will fail again. */
  rejected: 'rejected',
  /** Valid but could not be journaled (disk error); safe to resend. */
  failed: 'failed',
} as const;
export type EventStatus = (typeof EventStatus)[keyof typeof EventStatus];

export interface EventResult {
  /** Position of the event in its frame. */
  i: number;
  eventId?: string;
  status: EventStatus;
  issues?: EventIssue[];
}

/** The server's answer to one ingest frame. */
export interface IngestReply {
  type: 'ack';
  frame: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  failed: number;
  results: EventResult[];
}
