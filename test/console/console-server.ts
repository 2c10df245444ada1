import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { serveConsole } from '../../src/console/serve-console.ts';
import { type Processor, type ProcessorOptions, startProcessor } from '../../src/processor.ts';
import { RULES_DIR, STREAMS_DIR } from '../helpers.ts';

/** A processor for the browser tests, and the address the page is opened at. */
export interface ConsoleServer {
  processor: Processor;
  /** `http://127.0.0.1:PORT`: the page is at `${pageUrl}/`. */
  pageUrl: string;
  /** Stops the processor (the page sees the server go away). */
  stopProcessor(): Promise<void>;
  /** Starts a new processor on the same port and data directory. */
  restartProcessor(): Promise<Processor>;
  close(): Promise<void>;
}

/**
 * Starts a processor for the console's tests. When the processor serves the page at `/`
 * itself, the page is opened there; until then a small front server on its own port
 * serves the page with `serveConsole` and passes every other request and WebSocket
 * upgrade through to the processor, so the page still talks to `/alerts` on its own host.
 */
export async function startConsoleServer(options: ProcessorOptions & { dataDir: string }): Promise<ConsoleServer> {
  const processorOptions: ProcessorOptions = { port: 0, watchRules: false, rulesDir: RULES_DIR, streamsDir: STREAMS_DIR, log: () => {}, ...options };
  let processor = await startProcessor(processorOptions);
  const port = processor.port;
  const stopped = { value: false };
  const stopProcessor = async (): Promise<void> => {
    stopped.value = true;
    await processor.close();
  };
  const restartProcessor = async (): Promise<Processor> => {
    processor = await startProcessor({ ...processorOptions, port });
    stopped.value = false;
    return processor;
  };
  const front = (await servesPage(port)) ? null : await startFront(port);
  return {
    get processor() {
      return processor;
    },
    pageUrl: `http://127.0.0.1:${front ? (front.server.address() as AddressInfo).port : port}`,
    stopProcessor,
    restartProcessor,
    close: async () => {
      if (front) {
        const closed = new Promise<void>((resolve) => front.server.close(() => resolve()));
        front.server.closeAllConnections();
        // Upgraded sockets are no longer the HTTP server's to close, but they keep it open.
        for (const socket of front.sockets) socket.destroy();
        await closed;
      }
      if (!stopped.value) await processor.close();
    },
  };
}

async function servesPage(port: number): Promise<boolean> {
  const response = await fetch(`http://127.0.0.1:${port}/`);
  await response.arrayBuffer();
  return response.ok && (response.headers.get('content-type') ?? '').startsWith('text/html');
}

/** The page from `serveConsole`; everything else, upgrades included, passed through to the processor. */
async function startFront(processorPort: number): Promise<{ server: http.Server; sockets: Set<net.Socket> }> {
  const sockets = new Set<net.Socket>();
  const server = http.createServer((request, response) => {
    if (serveConsole(request, response)) return;
    const upstream = http.request({ host: '127.0.0.1', port: processorPort, path: request.url, method: request.method, headers: request.headers }, (reply) => {
      response.writeHead(reply.statusCode ?? 502, reply.headers);
      reply.pipe(response);
    });
    upstream.on('error', () => {
      response.writeHead(502).end();
    });
    request.pipe(upstream);
  });
  server.on('upgrade', (request: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
    const upstream = net.connect(processorPort, '127.0.0.1', () => {
      const lines = [`${request.method} ${request.url} HTTP/1.1`];
      for (let i = 0; i < request.rawHeaders.length; i += 2) lines.push(`${request.rawHeaders[i]}: ${request.rawHeaders[i + 1]}`);
      upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
      upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    sockets.add(upstream).add(socket);
    upstream.on('close', () => {
      sockets.delete(upstream);
      socket.destroy();
    });
    socket.on('close', () => sockets.delete(socket));
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
    socket.on('close', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { server, sockets };
}
