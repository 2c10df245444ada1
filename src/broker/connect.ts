import fs from 'node:fs';
import { connect, credsAuthenticator, type NatsConnection } from '@nats-io/transport-node';
import { ConfigError, ConnectionError, toError } from '../errors.ts';

/** How to reach the broker: `serve --nats URL [--nats-token T | --nats-creds FILE]`, or `nats://user:pass@host:port`. */
export interface BrokerAddress {
  /** `nats://host:port`, with `user:password@` for user and password authentication. */
  url: string;
  /** A token the server was configured with (`authorization { token: ... }`). */
  token?: string;
  /** A NATS credentials file (a user JWT and its nkey seed, as `nsc` writes it). */
  credsFile?: string;
}

/** The connection and whether it is up now, with what was last said about it. */
export interface BrokerLink {
  nc: NatsConnection;
  /** The URL without its password, for logs and errors. */
  shownUrl: string;
  /** Up now; false between a disconnect and the reconnect. */
  connected(): boolean;
  /** Why it is down, if it is. */
  down(): string | undefined;
  /** Told when the link goes down (with the reason) and when it is back (undefined). */
  onChange(listener: (down: string | undefined) => void): void;
}

/** How long the first connection may take before the start fails. @default 5_000 */
const CONNECT_TIMEOUT_MS = 5_000;

/**
 * Connects to the broker, or fails with a `ConnectionError` naming the URL. Once
 * connected, the client reconnects for ever; the link says while it is down, and the log
 * gets a line when it goes and when it is back.
 */
export async function connectBroker(address: BrokerAddress, options: { name: string; log: (line: string) => void; connectTimeoutMs?: number }): Promise<BrokerLink> {
  const { servers, user, pass, shownUrl } = splitUrl(address.url);
  if (address.token !== undefined && address.credsFile !== undefined) throw new ConfigError('give --nats-token or --nats-creds, not both');
  let creds: Uint8Array | undefined;
  if (address.credsFile !== undefined) {
    try {
      creds = fs.readFileSync(address.credsFile);
    } catch (error) {
      throw new ConfigError(`the NATS credentials file ${address.credsFile} cannot be read: ${toError(error).message}`, { cause: error });
    }
  }
  let nc: NatsConnection;
  try {
    nc = await connect({
      servers,
      name: options.name,
      timeout: options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 250,
      ...(user !== undefined && { user }),
      ...(pass !== undefined && { pass }),
      ...(address.token !== undefined && { token: address.token }),
      ...(creds && { authenticator: credsAuthenticator(creds) }),
    });
  } catch (error) {
    throw new ConnectionError(`cannot connect to the NATS broker at ${shownUrl}: ${toError(error).message} (is nats-server running there, with JetStream on, and are the credentials right?)`, { cause: error });
  }
  let down: string | undefined;
  const listeners: ((down: string | undefined) => void)[] = [];
  const tell = (): void => {
    for (const listener of listeners) listener(down);
  };
  void (async () => {
    for await (const status of nc.status()) {
      if (status.type === 'disconnect' && down === undefined) {
        down = `the connection to the NATS broker at ${shownUrl} is lost`;
        options.log(`broker: ${down}; events are answered failed until it is back`);
        tell();
      } else if (status.type === 'reconnect' && down !== undefined) {
        down = undefined;
        options.log(`broker: connected to ${shownUrl} again`);
        tell();
      }
    }
  })();
  return {
    nc,
    shownUrl,
    connected: () => down === undefined && !nc.isClosed(),
    down: () => down ?? (nc.isClosed() ? `the connection to the NATS broker at ${shownUrl} is closed` : undefined),
    onChange: (listener) => listeners.push(listener),
  };
}

/** Takes `user:password@` out of the URL: the client is given them apart, and logs never show the password. */
function splitUrl(url: string): { servers: string; user?: string; pass?: string; shownUrl: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError(`--nats must be a URL such as nats://127.0.0.1:4222, got ${JSON.stringify(url)}`);
  }
  if (!['nats:', 'tls:'].includes(parsed.protocol)) throw new ConfigError(`--nats must be a nats:// or tls:// URL, got ${JSON.stringify(url)}`);
  const user = parsed.username === '' ? undefined : decodeURIComponent(parsed.username);
  const pass = parsed.password === '' ? undefined : decodeURIComponent(parsed.password);
  parsed.username = '';
  parsed.password = '';
  const servers = `${parsed.protocol}//${parsed.host}`;
  return { servers, ...(user !== undefined && { user }), ...(pass !== undefined && { pass }), shownUrl: user === undefined ? servers : `${parsed.protocol}//${user}@${parsed.host}` };
}
