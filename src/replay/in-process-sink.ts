import { ConnectionError } from '../errors.ts';
import type { EventSource, FrameSink } from '../ingest/event-source.ts';
import { IngestSession } from '../ingest/ingest-session.ts';
import type { IngestReply } from '../ingest/protocol.ts';
import type { BorderEvent } from '../model/event.ts';
import { type ReplaySink, type SinkTotals, settleReply } from './ingest-sink.ts';

type Waiter = { resolve: (reply: IngestReply) => void; reject: (error: Error) => void };

/**
 * A replay into a processor of the same process (`replay --serve`), with no socket in
 * between: the replayer's sink on one side and the processor's event source on the other,
 * through the same ingest session (frame numbers, replies in order) as a producer's
 * connection. Frames are scoped to the recording's posts, as a producer token for them would be.
 */
export class InProcessSink implements ReplaySink, EventSource {
  readonly name = 'replay (in process)';
  readonly totals: SinkTotals = { accepted: 0, duplicates: 0, rejected: 0, failed: 0 };
  private readonly posts: ReadonlySet<string>;
  private session: IngestSession | undefined;
  private readonly waiting = new Map<number, Waiter>();
  private frames = 0;
  private stopped: Error | undefined;
  private reportLost: (error: Error) => void = () => {
    // Replaced by the `lost` promise's resolver as soon as it is made.
  };
  readonly lost = new Promise<Error>((resolve) => {
    this.reportLost = resolve;
  });

  constructor(posts: Iterable<string>) {
    this.posts = new Set(posts);
  }

  start(ingest: FrameSink) {
    this.session = new IngestSession({ connection: 'replay', ingest, posts: this.posts, producer: 'replay', deliver: (reply) => this.answered(reply) });
    return {
      stop: () => {
        this.stopped = new ConnectionError(`the processor stopped with ${this.waiting.size} frame(s) unacknowledged`);
        for (const waiter of this.waiting.values()) waiter.reject(this.stopped);
        this.waiting.clear();
        this.reportLost(this.stopped);
      },
    };
  }

  get inFlight(): number {
    return this.waiting.size;
  }

  send(events: readonly BorderEvent[]): Promise<IngestReply> {
    if (this.stopped) return Promise.reject(this.stopped);
    const session = this.session;
    if (!session) return Promise.reject(new ConnectionError('the processor has not started this replay'));
    this.frames += 1;
    const frame = this.frames;
    // Registered before the frame goes in: a frame the pipeline refuses at once is answered during `receive`.
    const replied = new Promise<IngestReply>((resolve, reject) => this.waiting.set(frame, { resolve, reject }));
    session.receive(JSON.stringify(events));
    return replied;
  }

  async close(): Promise<void> {
    // The processor owns the other side; closing the replay leaves it serving.
  }

  private answered(reply: IngestReply): void {
    settleReply(this.totals, this.waiting, reply);
  }
}
