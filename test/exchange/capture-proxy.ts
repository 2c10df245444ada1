import net from 'node:net';

/** What passed through a capturing proxy, one record per chunk, in order. */
export interface Captured {
  at: number;
  direction: 'up' | 'down';
  bytes: Buffer;
}

/**
 * A TCP proxy on a free loopback port that forwards to `target` (set once the processor
 * behind it listens) and keeps every byte both ways: what a wiretap between two agencies
 * would see. Connections before a target is set are cut, as a partner that is not up yet.
 */
export class CaptureProxy {
  readonly captured: Captured[] = [];
  target: number | undefined;
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();

  private constructor(server: net.Server) {
    this.server = server;
  }

  static async start(): Promise<CaptureProxy> {
    const server = net.createServer();
    const proxy = new CaptureProxy(server);
    server.on('connection', (client) => proxy.accept(client));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    return proxy;
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  private accept(client: net.Socket): void {
    if (this.target === undefined) return void client.destroy();
    const upstream = net.connect(this.target, '127.0.0.1');
    for (const s of [client, upstream]) {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.on('data', (bytes) => {
      this.captured.push({ at: Date.now(), direction: 'up', bytes });
      upstream.write(bytes);
    });
    upstream.on('data', (bytes) => {
      this.captured.push({ at: Date.now(), direction: 'down', bytes });
      client.write(bytes);
    });
    client.on('end', () => upstream.end());
    upstream.on('end', () => client.end());
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/**
 * The text of everything captured: HTTP upgrade headers as they are, then every WebSocket
 * frame's payload unmasked (RFC 6455 section 5.2; client frames are masked, so a search of
 * the raw bytes would find nothing either way). Chunks of one direction are joined per
 * connection order, which holds for the one connection at a time a link keeps.
 */
export function capturedText(captured: readonly Captured[], direction: 'up' | 'down' = 'up'): string {
  const stream = Buffer.concat(captured.filter((c) => c.direction === direction).map((c) => c.bytes));
  const out: string[] = [];
  let at = 0;
  while (at < stream.length) {
    // An HTTP head (the upgrade request or response) starts each connection.
    if (stream.subarray(at, at + 4).toString('latin1') === 'GET ' || stream.subarray(at, at + 5).toString('latin1') === 'HTTP/') {
      const end = stream.indexOf('\r\n\r\n', at);
      if (end < 0) break;
      out.push(stream.subarray(at, end + 4).toString('latin1'));
      at = end + 4;
      continue;
    }
    if (at + 2 > stream.length) break;
    const second = stream[at + 1]!;
    let length = second & 0x7f;
    let offset = at + 2;
    if (length === 126) {
      length = stream.readUInt16BE(offset);
      offset += 2;
    } else if (length === 127) {
      length = Number(stream.readBigUInt64BE(offset));
      offset += 8;
    }
    const masked = (second & 0x80) !== 0;
    const mask = masked ? stream.subarray(offset, offset + 4) : undefined;
    if (masked) offset += 4;
    if (offset + length > stream.length) break;
    const payload = Buffer.from(stream.subarray(offset, offset + length));
    if (mask) for (let i = 0; i < payload.length; i++) payload[i]! ^= mask[i % 4]!;
    out.push(payload.toString('utf8'));
    at = offset + length;
  }
  return out.join('\n');
}
