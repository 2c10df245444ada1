import type { IngestFrame } from './protocol.ts';

/** Where a source hands its frames: the pipeline's ingest. */
export type FrameSink = (frame: IngestFrame) => void;

/**
 * A source of events, the port every way in goes through: the WebSocket ingest is one
 * adapter (src/server/ingest-source.ts), a test's array is another, a broker consumer
 * will be a third. A source yields frames to the sink it is started with and gets each
 * frame's reply through the frame's `respond`; an {@link IngestSession} numbers its
 * frames and gives the replies back in frame order, whatever order they come in.
 */
export interface EventSource {
  /** For logs: `ws /ingest`, `nats border.events`. */
  readonly name: string;
  /** Starts handing frames to `ingest`. */
  start(ingest: FrameSink): StartedSource;
}

export interface StartedSource {
  /** Stops taking new frames; replies to frames already handed over may still come. */
  stop(): void | Promise<void>;
}
