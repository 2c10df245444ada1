import type { Subject } from 'rxjs';
import type { RawData, WebSocket } from 'ws';
import type { IngestFrame, IngestReply } from '../ingest/protocol.ts';
import { coalesceWrites, type Corkable } from './coalesce-writes.ts';
import type { IngestFlow } from './ingest-flow.ts';

let connections = 0;

/**
 * The thin `ws` adapter for producers: every text (or UTF-8 binary) frame becomes an
 * `IngestFrame`, and replies go back in frame order even when a later frame is
 * answered first. `flow` bounds what is read but not yet answered, pausing the socket
 * beyond it. `scope` is what the producer's token allows (its posts) and who it is (the
 * token id, which dead-letter bounds are kept per). `transport` is the connection under the
 * WebSocket: replies sent in one turn of the event loop are written to it together.
 */
export function serveIngest(socket: WebSocket, transport: Corkable, frames: Subject<IngestFrame>, flow: IngestFlow, scope: { posts?: ReadonlySet<string>; producer?: string } = {}, now: () => number = Date.now): void {
  const { posts, producer } = scope;
  connections += 1;
  const connection = `c${connections}`;
  const control = flow.connect(socket);
  let received = 0;
  let nextToSend = 1;
  const ready = new Map<number, IngestReply>();
  const sizes = new Map<number, number>();
  // A reply's callback runs once the network has taken it: a producer reading its acks again frees room.
  const flushed = (): void => control.check();
  const hold = coalesceWrites(transport);

  const sendReady = (): void => {
    for (let reply = ready.get(nextToSend); reply !== undefined; reply = ready.get(nextToSend)) {
      ready.delete(nextToSend);
      if (socket.readyState === socket.OPEN) {
        hold();
        socket.send(JSON.stringify(reply), flushed);
      }
      control.answered(sizes.get(nextToSend) ?? 0);
      sizes.delete(nextToSend);
      nextToSend += 1;
    }
  };

  socket.on('close', () => control.close());
  socket.on('message', (data: RawData) => {
    // A frame that arrives while the server closes the connection (its token was revoked,
    // say) is not taken: it is not acknowledged, so the producer resends it elsewhere.
    if (socket.readyState !== socket.OPEN) return;
    received += 1;
    const text = rawToString(data);
    sizes.set(received, text.length);
    control.received(text.length);
    frames.next({
      connection,
      frame: received,
      receivedAt: now(),
      data: text,
      ...(posts && { posts }),
      ...(producer !== undefined && { producer }),
      respond(reply) {
        ready.set(reply.frame, reply);
        sendReady();
      },
    });
  });
}

function rawToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}
