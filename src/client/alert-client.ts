import { EventEmitter } from 'node:events';
import WebSocket from 'ws';
import type { Alert } from '../alert/alert.ts';
import type { SubscriptionFilter } from '../push/subscription.ts';
import type { TriageAction, TriageEntry, TriageReason, TriageState } from '../triage/triage.ts';
import { connectOptions } from './connect-options.ts';
import { CloseCode } from '../kernel/close-codes.js';
import { ConnectionError, RequestRefusedError } from '../errors.ts';

/** What `/alerts` sends (docs/protocol.md). */
export type ServerMessage =
  | { type: 'welcome'; protocol: number; lastSeq: number; firstSeq: number; filter: SubscriptionFilter }
  | { type: 'alert'; seq: number; alert: Alert; triage: TriageState }
  | { type: 'triage'; seq: number; alertId: string; entry: TriageEntry; triage: TriageState }
  | { type: 'triage-result'; requestId?: string; ok: true; seq: number }
  | { type: 'live'; lastSeq: number }
  | { type: 'heartbeat'; lastSeq: number; at: string }
  | { type: 'gap'; from: number; to: number }
  | { type: 'reset'; since: number; lastSeq: number }
  | { type: 'rules'; status: string; [key: string]: unknown }
  | { type: 'error'; requestId?: string; message: string; issues?: { path: string; message: string }[] };

export interface AlertClientOptions {
  /** An access token (`border-risk tokens create`), sent as `Authorization: Bearer`; needed by a server with authentication. */
  token?: string;
  filter?: SubscriptionFilter;
  /** Resume after this sequence number; later the client keeps it up to date itself. */
  since?: number;
  /** First reconnection delay, doubled up to `maxReconnectMs`. @default 250 */
  reconnectMs?: number;
  /** @default 10_000 */
  maxReconnectMs?: number;
  /** Certificates to trust for `wss://` besides the system's (a self-signed server certificate, say). */
  ca?: string | Buffer;
}

export interface TriageInput {
  action: TriageAction;
  by: string;
  assignee?: string;
  reason?: TriageReason;
  note?: string;
}

export interface AlertClientEvents {
  alert: [message: Extract<ServerMessage, { type: 'alert' }>];
  triage: [message: Extract<ServerMessage, { type: 'triage' }>];
  /** Every message, alerts included. */
  message: [message: ServerMessage];
  connected: [];
  disconnected: [code: number, reason: string];
  /** The server refused the token (4401: missing, unknown or revoked; 4403: its role may not subscribe); the client stops. */
  refused: [code: number, reason: string];
}

/**
 * A subscriber of `/alerts` for other Node programs: it subscribes with a filter,
 * keeps the last sequence number it received, and after a dropped connection (a
 * restart, a 4008 for being slow) reconnects with `since` so that it misses nothing
 * and sees nothing twice. Triage requests resolve with the server's answer.
 */
export class AlertClient extends EventEmitter<AlertClientEvents> {
  /** The last sequence number received: where a reconnection resumes. */
  lastSeq: number | undefined;
  private socket: WebSocket | undefined;
  private closed = false;
  private delay: number;
  private requests = 0;
  private readonly pending = new Map<string, { resolve: (seq: number) => void; reject: (error: Error) => void }>();

  constructor(
    private readonly url: string,
    private readonly options: AlertClientOptions = {},
  ) {
    super();
    this.lastSeq = options.since;
    this.delay = options.reconnectMs ?? 250;
    this.connect();
  }

  /** Resolves once the server has stored the change; rejects with the server's reason. */
  triage(seq: number, input: TriageInput): Promise<number> {
    const requestId = `r${++this.requests}`;
    return new Promise((resolve, reject) => {
      if (this.socket?.readyState !== WebSocket.OPEN) {
        reject(new ConnectionError('not connected'));
        return;
      }
      this.pending.set(requestId, { resolve, reject });
      this.socket.send(JSON.stringify({ type: 'triage', requestId, seq, ...input }));
    });
  }

  close(): void {
    this.closed = true;
    this.socket?.close(1000, 'client closing');
  }

  private connect(): void {
    const { token, ca } = this.options;
    const socket = new WebSocket(`${this.url.replace(/\/$/, '')}/alerts`, connectOptions(token, ca));
    this.socket = socket;
    socket.on('open', () => {
      this.delay = this.options.reconnectMs ?? 250;
      socket.send(JSON.stringify({ type: 'subscribe', filter: this.options.filter ?? {}, ...(this.lastSeq !== undefined && { since: this.lastSeq }) }));
      this.emit('connected');
    });
    socket.on('message', (data) => this.receive(JSON.parse(data.toString()) as ServerMessage));
    socket.on('error', () => {
      // 'close' follows and reconnects.
    });
    socket.on('close', (code, reason) => {
      for (const [id, request] of this.pending) request.reject(new ConnectionError(`connection closed before the answer to ${id}`));
      this.pending.clear();
      this.emit('disconnected', code, reason.toString());
      // Reconnecting with the same token cannot help.
      if (code === CloseCode.unauthenticated || code === CloseCode.forbidden) {
        this.closed = true;
        this.emit('refused', code, reason.toString());
      }
      if (this.closed) return;
      setTimeout(() => this.connect(), this.delay).unref();
      this.delay = Math.min(this.delay * 2, this.options.maxReconnectMs ?? 10_000);
    });
  }

  private receive(message: ServerMessage): void {
    if (message.type === 'alert') {
      if (this.lastSeq !== undefined && message.seq <= this.lastSeq) return;
      this.lastSeq = message.seq;
      this.emit('alert', message);
    } else if (message.type === 'reset' || (message.type === 'live' && message.lastSeq > (this.lastSeq ?? 0))) {
      this.lastSeq = message.lastSeq;
    } else if (message.type === 'welcome' && this.lastSeq === undefined) {
      this.lastSeq = message.lastSeq;
    } else if (message.type === 'triage') {
      this.emit('triage', message);
    } else if ((message.type === 'triage-result' || message.type === 'error') && message.requestId !== undefined) {
      const request = this.pending.get(message.requestId);
      this.pending.delete(message.requestId);
      if (message.type === 'triage-result') request?.resolve(message.seq);
      else request?.reject(new RequestRefusedError(message.message));
    }
    this.emit('message', message);
  }
}
