import type { Subject } from 'rxjs';
import type { RawData, WebSocket } from 'ws';
import type { IngestFrame, IngestReply } from '../ingest/protocol.ts';

/** Close codes of `/ingest`, documented in docs/protocol.md. */
export const IngestCloseCode = {
  /** The server is stopping; resend unacknowledged frames to another or a restarted server. */
  goingAway: 1001,
  /** A frame was larger than the server's limit (ws's standard code for it). */
  frameTooLarge: 1009,
} as const;

let connections = 0;

/**
 * The thin `ws` adapter for producers: every text (or UTF-8 binary) frame becomes an
 * `IngestFrame`, and replies go back in frame order even when a later frame is
 * answered first.
 */
export function serveIngest(socket: WebSocket, frames: Subject<IngestFrame>, posts?: ReadonlySet<string>): void {
  connections += 1;
  const connection = `c${connections}`;
  let received = 0;
  let nextToSend = 1;
  const ready = new Map<number, IngestReply>();

  const sendReady = (): void => {
    for (let reply = ready.get(nextToSend); reply !== undefined; reply = ready.get(nextToSend)) {
      ready.delete(nextToSend);
      nextToSend += 1;
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(reply));
    }
  };

  socket.on('message', (data: RawData) => {
    // A frame that arrives while the server closes the connection (its token was revoked,
    // say) is not taken: it is not acknowledged, so the producer resends it elsewhere.
    if (socket.readyState !== socket.OPEN) return;
    received += 1;
    frames.next({
      connection,
      frame: received,
      receivedAt: Date.now(),
      data: rawToString(data),
      ...(posts && { posts }),
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
