import type { JetStreamClient } from '@nats-io/jetstream';
import { JournalError, toError } from '../errors.ts';
import type { DurableCallback } from '../journal/group-commit-log.ts';
import type { EventLog } from '../journal/event-log.ts';
import { RecentIds } from '../kernel/recent-ids.ts';
import type { BorderEvent } from '../model/event.ts';
import type { BrokerLink } from './connect.ts';
import { eventMessageId, eventSubject } from './streams.ts';

/** What goes on the events stream: the event as accepted, and when the gateway received it. */
export interface EventMessage {
  receivedAt: string;
  event: BorderEvent;
}

/** How long a publish may wait for JetStream's acknowledgement before the events are answered failed. @default 5_000 */
const PUBLISH_TIMEOUT_MS = 5_000;

/**
 * The events stream as the ingest gateway's event log: `append` publishes the event to
 * `events.<kind>.<post>` with its post-scoped id as `Nats-Msg-Id`, and `whenDurable`
 * calls back once JetStream acknowledged every event appended before it (stored on the
 * stream's disk, or found a duplicate within the window), or with the error when one was
 * not: the producer is answered `accepted` only then. While the link is down, events are
 * failed at once rather than left to time out.
 *
 * Record numbers here are the gateway's own count; the processors go by stream sequence.
 */
export class NatsEventLog implements EventLog {
  /** The posts of the event ids published, for `duplicate` answers; the newest one to two million. */
  private readonly owners = new RecentIds<string>();
  private appended = 0;
  private batch: Promise<unknown>[] = [];
  private batchFailure: Error | undefined;
  /** Callbacks fire in the order they were asked for. */
  private tail: Promise<void> = Promise.resolve();

  constructor(
    private readonly js: JetStreamClient,
    private readonly link: BrokerLink,
    private readonly publishTimeoutMs = PUBLISH_TIMEOUT_MS,
  ) {}

  /** Events appended (published) by this gateway. */
  get lastRecord(): number {
    return this.appended;
  }

  owner(eventId: string): string | undefined {
    return this.owners.get(eventId);
  }

  append(event: BorderEvent, receivedAt: string, text?: string): number {
    this.owners.set(event.eventId, event.post);
    this.appended += 1;
    const down = this.link.down();
    if (down !== undefined) {
      this.batchFailure ??= new JournalError(down);
    } else {
      // The event's text as received, when there is one, is the message's `event` as it stands: no second serialisation.
      const data = text === undefined ? JSON.stringify({ receivedAt, event } satisfies EventMessage) : `{"receivedAt":${JSON.stringify(receivedAt)},"event":${text}}`;
      this.batch.push(this.js.publish(eventSubject(event), data, { msgID: eventMessageId(event), timeout: this.publishTimeoutMs }));
    }
    return this.appended;
  }

  whenDurable(callback: DurableCallback): void {
    const batch = this.batch;
    const failure = this.batchFailure;
    this.batch = [];
    this.batchFailure = undefined;
    const settled = Promise.allSettled(batch);
    this.tail = this.tail.then(async () => {
      const results = await settled;
      const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      const error = failure ?? (rejected && new JournalError(`the NATS broker at ${this.link.shownUrl} did not acknowledge: ${toError(rejected.reason).message}`));
      callback(error ?? null);
    });
  }

  forget(eventIds: readonly string[]): void {
    for (const id of eventIds) this.owners.delete(id);
  }

  /** Waits for the publishes in flight. */
  async drain(): Promise<void> {
    await new Promise<void>((resolve) => this.whenDurable(() => resolve()));
  }
}
