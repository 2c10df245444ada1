import type { RawData, WebSocket } from 'ws';
import type { FrameSink } from '../ingest/event-source.ts';
import { IngestSession } from '../ingest/ingest-session.ts';
import { coalesceWrites, type Corkable } from './coalesce-writes.ts';
import type { IngestFlow } from './ingest-flow.ts';

let connections = 0;

/**
 * The thin `ws` adapter for one producer: every text (or UTF-8 binary) frame goes to the
 * ingest session (src/ingest/ingest-session.ts), which numbers it and gives the replies
 * back in frame order; this only moves them. `flow` bounds what is read but not yet
 * answered, pausing the socket beyond it. `scope` is what the producer's token allows
 * (its posts) and who it is (the token id, which dead-letter bounds are kept per).
 * `transport` is the connection under the WebSocket: replies sent in one turn of the
 * event loop are written to it together.
 */
export function serveIngest(socket: WebSocket, transport: Corkable, ingest: FrameSink, flow: IngestFlow, scope: { posts?: ReadonlySet<string>; producer?: string } = {}, now: () => number = Date.now): void {
  connections += 1;
  const control = flow.connect(socket);
  // A reply's callback runs once the network has taken it: a producer reading its acks again frees room.
  const flushed = (): void => control.check();
  const hold = coalesceWrites(transport);
  const session = new IngestSession({
    connection: `c${connections}`,
    ingest,
    now,
    ...scope,
    deliver(reply, frameSize) {
      if (socket.readyState === socket.OPEN) {
        hold();
        socket.send(JSON.stringify(reply), flushed);
      }
      control.answered(frameSize);
    },
  });

  socket.on('close', () => control.close());
  socket.on('message', (data: RawData) => {
    // A frame that arrives while the server closes the connection (its token was revoked,
    // say) is not taken: it is not acknowledged, so the producer resends it elsewhere.
    if (socket.readyState !== socket.OPEN) return;
    const text = rawToString(data);
    control.received(text.length);
    session.receive(text);
  });
}

function rawToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}
