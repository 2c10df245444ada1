import net from 'node:net';

/** A TCP proxy to `target` that can be cut (every connection closed, nothing accepted) and opened again on the same port: a link that goes down. */
export interface TcpProxy {
  port: number;
  cut(): Promise<void>;
  open(): Promise<void>;
  close(): Promise<void>;
}

/** `listenPort`: the port to listen on (0: a free one). */
export async function startTcpProxy(targetPort: number, listenPort = 0): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;
  let port = listenPort;
  const listen = (): Promise<void> =>
    new Promise((resolve, reject) => {
      server = net.createServer((client) => {
        const upstream = net.connect(targetPort, '127.0.0.1');
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => {
            client.destroy();
            upstream.destroy();
          });
        }
        client.pipe(upstream);
        upstream.pipe(client);
      });
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        port = (server!.address() as net.AddressInfo).port;
        resolve();
      });
    });
  const cut = (): Promise<void> =>
    new Promise((resolve) => {
      for (const s of sockets) s.destroy();
      if (!server) return resolve();
      server.close(() => resolve());
      server = undefined;
    });
  await listen();
  return { get port() { return port; }, cut, open: listen, close: cut };
}
