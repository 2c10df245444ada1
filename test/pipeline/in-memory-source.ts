import type { EventSource, FrameSink } from '../../src/ingest/event-source.ts';
import { IngestSession } from '../../src/ingest/ingest-session.ts';
import type { IngestReply } from '../../src/ingest/protocol.ts';

/** A source that is not a socket: frames handed over by the test, as a broker consumer would; replies come back through an `IngestSession`, in frame order. */
export class InMemorySource implements EventSource {
  readonly name = 'test frames';
  session: IngestSession | undefined;
  stopped = false;
  private readonly replies: IngestReply[] = [];
  private readonly waiting: (() => void)[] = [];

  start(ingest: FrameSink) {
    this.session = new IngestSession({
      connection: 'memory',
      ingest,
      deliver: (reply) => {
        this.replies.push(reply);
        for (const wake of this.waiting.splice(0)) wake();
      },
    });
    return { stop: () => void (this.stopped = true) };
  }

  /** Hands the frames over and waits for their replies. */
  async send(frames: readonly string[]): Promise<IngestReply[]> {
    const before = this.replies.length;
    for (const frame of frames) this.session!.receive(frame);
    while (this.replies.length < before + frames.length) await new Promise<void>((resolve) => this.waiting.push(resolve));
    return this.replies.slice(before);
  }
}
