import type WebSocket from 'ws';
import { CloseCode } from '../kernel/close-codes.js';

/**
 * The `ws` client options of a producer or subscriber: its token as `Authorization: Bearer`,
 * and `ca`, certificates to trust for `wss://` besides the system's (a self-signed server's).
 */
export function connectOptions(token?: string, ca?: string | Buffer): WebSocket.ClientOptions {
  return { ...(token !== undefined && { headers: { authorization: `Bearer ${token}` } }), ...(ca !== undefined && { ca }) };
}

/**
 * What a producer is told when `/ingest` refuses it (4401: no valid token, 4403: a token
 * whose role or posts may not send): the close code, the server's reason, and what to do.
 * Undefined for any other close code.
 */
export function ingestRefusal(url: string, code: number, reason: string): string | undefined {
  if (code !== CloseCode.unauthenticated && code !== CloseCode.forbidden) return undefined;
  return `${url} refused the producer (${code}: ${reason}); give a producer token for these posts (--token, or the BORDER_RISK_TOKEN environment variable)`;
}
