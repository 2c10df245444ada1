import type WebSocket from 'ws';

/**
 * The `ws` client options of a producer or subscriber: its token as `Authorization: Bearer`,
 * and `ca`, certificates to trust for `wss://` besides the system's (a self-signed server's).
 */
export function connectOptions(token?: string, ca?: string | Buffer): WebSocket.ClientOptions {
  return { ...(token !== undefined && { headers: { authorization: `Bearer ${token}` } }), ...(ca !== undefined && { ca }) };
}
