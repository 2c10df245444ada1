import type { BorderEvent } from '../model/event.ts';
import type { DurableCallback } from './group-commit-log.ts';

/**
 * Where accepted events are recorded before anyone is told of them: the port the
 * recording stage (`recordEvents`) writes through. The file journal (src/journal/journal.ts)
 * is one; a broker's event stream (a JetStream subject, say) would be another.
 *
 * Numbers are the log's own record numbers, from 1 and increasing by one per event: replay,
 * checkpoints and snapshots go by them.
 */
export interface EventLog {
  /** The post that owns `eventId` (the post of the event recorded under it), if it is known. */
  owner(eventId: string): string | undefined;
  /**
   * Records an event and gives its record number; it is durable once a later `whenDurable`
   * callback fires without error. `text`, when given, is JSON text on one line that parses
   * to exactly `event` (the event as received), which the log may keep instead of
   * serialising the event.
   */
  append(event: BorderEvent, receivedAt: string, text?: string): number;
  /** Calls back once everything appended so far is durable, or failed to be (with the error). */
  whenDurable(callback: DurableCallback): void;
  /** Forgets events whose batch failed to be made durable, so that a resend is accepted. */
  forget(eventIds: readonly string[]): void;
}
