import type { EventIssue } from '../model/event.ts';
import type { DurableCallback } from './group-commit-log.ts';

/** One rejected event or unparseable piece of a frame, kept for inspection. */
export interface DeadLetter {
  at: string;
  connection: string;
  frame: number;
  /** Position of the event in its frame (array index or NDJSON line among non-blank lines). */
  index: number;
  eventId?: string;
  issues: EventIssue[];
  /**
   * The parsed value as sent, or the raw text where it was not JSON; kept whole only when
   * its JSON is no longer than the excerpt bound, else left out for `excerpt`.
   */
  payload?: unknown;
  /** The start of the payload's JSON (or raw text), when the whole was longer than the bound. */
  excerpt?: string;
  /** SHA-256 (hex) of the payload's whole JSON (or raw text), to match it against the producer's copy. */
  sha256?: string;
  /** UTF-8 bytes of the payload's whole JSON (or raw text). */
  bytes?: number;
}

/** What a caller hands over: a letter whose payload is still whole. */
export type RejectedPayload = Omit<DeadLetter, 'excerpt' | 'sha256' | 'bytes'>;

/**
 * Where refused events and stage faults are kept for inspection: the port the recording
 * stage and fault routing (src/app/fault-letters.ts) write through. The dead-letter file
 * (src/journal/dead-letters.ts) is one.
 */
export interface DeadLetterSink {
  /** Keeps a dead letter if the bounds allow; why it was not kept otherwise. */
  append(letter: RejectedPayload, producer?: string): string | undefined;
  /** Calls back once every dead letter kept so far is durable, or failed to be (with the error). */
  whenDurable(callback: DurableCallback): void;
}
