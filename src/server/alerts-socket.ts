import type { WebSocket } from 'ws';
import type { AlertHub, SubscriberAccess, SubscriberSink } from '../push/alert-hub.ts';
import { subscriptionFromQuery } from '../push/subscription.ts';
import { coalesceWrites, type Corkable } from './coalesce-writes.ts';

/**
 * The thin `ws` adapter for subscribers: the subscription comes from the URL, then from
 * `subscribe` messages. Messages sent in one turn of the event loop are written to
 * `transport` (the connection under the WebSocket) together.
 */
export function serveAlerts(socket: WebSocket, transport: Corkable, url: URL, hub: AlertHub, access: SubscriberAccess = {}): void {
  const hold = coalesceWrites(transport);
  const sink: SubscriberSink = {
    send: (message) => {
      if (socket.readyState !== socket.OPEN) return;
      hold();
      socket.send(message);
    },
    get bufferedAmount() {
      return socket.bufferedAmount;
    },
    get open() {
      return socket.readyState === socket.OPEN;
    },
    close: (code, reason) => socket.close(code, reason),
  };
  socket.on('message', (data) => hub.receive(sink, data.toString()));
  socket.on('close', () => hub.disconnect(sink));
  hub.connect(sink, subscriptionFromQuery(url.searchParams), access);
}
