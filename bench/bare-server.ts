/**
 * The ceiling the load benchmark compares with, measured in the same run with the same
 * producer: a bare `ws` server that parses each frame (one event, or an array of them)
 * and acknowledges it in the processor's reply shape, with its acks coalesced as the
 * processor's are, and nothing else: no validation, journal, rules or alerts.
 */
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { IngestReply } from '../src/ingest/protocol.ts';
import { coalesceWrites } from '../src/server/coalesce-writes.ts';

export interface BareServer {
  /** `ws://127.0.0.1:port` */
  url: string;
  close(): Promise<void>;
}

export async function startBareServer(): Promise<BareServer> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, maxPayload: 16 * 1024 * 1024 });
  await new Promise((resolve) => server.once('listening', resolve));
  server.on('connection', (socket, request) => {
    const hold = coalesceWrites(request.socket);
    let frame = 0;
    socket.on('message', (data) => {
      frame += 1;
      const parsed: unknown = JSON.parse(data.toString());
      const events = (Array.isArray(parsed) ? parsed : [parsed]) as { eventId?: string }[];
      const reply: IngestReply = {
        type: 'ack',
        frame,
        accepted: events.length,
        duplicates: 0,
        rejected: 0,
        failed: 0,
        results: events.map((e, i) => ({ i, ...(e.eventId !== undefined && { eventId: e.eventId }), status: 'accepted' })),
      };
      hold();
      socket.send(JSON.stringify(reply));
    });
  });
  return {
    url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((resolve) => {
        for (const client of server.clients) client.terminate();
        server.close(() => resolve());
      }),
  };
}
