import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { coalesceWrites } from '../../src/server/coalesce-writes.ts';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/** A real TCP connection on a free loopback port: the server's end and everything the client end receives, chunk by chunk. */
async function connection(): Promise<{ server: net.Socket; chunks: Buffer[] }> {
  const listener = net.createServer();
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const accepted = new Promise<net.Socket>((resolve) => listener.once('connection', resolve));
  const client = net.connect((listener.address() as net.AddressInfo).port, '127.0.0.1');
  const chunks: Buffer[] = [];
  client.on('data', (chunk: Buffer) => chunks.push(chunk));
  const server = await accepted;
  closers.push(async () => {
    client.destroy();
    server.destroy();
    await new Promise((resolve) => listener.close(resolve));
  });
  return { server, chunks };
}

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 50));

describe('coalesceWrites', () => {
  it('holds the writes of one turn of the event loop back and lets them go together at its end', async () => {
    const { server, chunks } = await connection();
    const hold = coalesceWrites(server);
    for (const part of ['one ', 'two ', 'three']) {
      hold();
      server.write(part);
    }
    // Still in the same turn: nothing has gone to the kernel yet.
    expect(server.writableCorked).toBe(1);
    expect(server.writableLength).toBe('one two three'.length);
    await settle();
    expect(server.writableCorked).toBe(0);
    expect(Buffer.concat(chunks).toString()).toBe('one two three');
    expect(chunks).toHaveLength(1);

    // The next turn holds again.
    hold();
    server.write('four');
    expect(server.writableLength).toBe(4);
    await settle();
    expect(Buffer.concat(chunks).toString()).toBe('one two threefour');
  });

  it('outlasts the cork and uncork ws does around each message, and every message still arrives whole and in order', async () => {
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise((resolve) => wss.once('listening', resolve));
    closers.push(() => new Promise((resolve) => wss.close(() => resolve())));
    const serverSide = new Promise<{ socket: WebSocket; transport: net.Socket }>((resolve) =>
      wss.once('connection', (socket, request) => resolve({ socket, transport: request.socket as net.Socket })),
    );
    const client = new WebSocket(`ws://127.0.0.1:${(wss.address() as net.AddressInfo).port}`);
    closers.push(async () => client.terminate());
    const received: string[] = [];
    client.on('message', (data) => received.push(data.toString()));
    const { socket, transport } = await serverSide;
    const hold = coalesceWrites(transport);
    for (let i = 1; i <= 50; i++) {
      hold();
      socket.send(JSON.stringify({ frame: i }));
    }
    // ws corked and uncorked fifty times; the hold keeps all fifty messages back until the turn ends.
    expect(transport.writableCorked).toBe(1);
    expect(transport.writableLength).toBeGreaterThan(50 * '{"frame":1}'.length);
    await settle();
    expect(received.map((m) => (JSON.parse(m) as { frame: number }).frame)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  });
});
