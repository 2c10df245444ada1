import { formatPath } from '../model/event.ts';
import type { AlertStore, StoredAlert } from '../store/alert-store.ts';
import { compileFilter, type SubscribeMessage, SubscribeMessageSchema } from './subscription.ts';
import type { Alert } from '../alert/alert.ts';

/** Close codes of `/alerts`, documented in docs/protocol.md. */
export const AlertCloseCode = {
  /** The server is stopping; reconnect later with `since`. */
  goingAway: 1001,
  /** The subscriber fell too far behind; reconnect with `since` = the last seq it received. */
  tooSlow: 4008,
  /** The subscription in the connection URL was invalid. */
  badSubscription: 4400,
} as const;

/** What the hub needs of a connection; the WebSocket adapter provides it. */
export interface SubscriberSink {
  send(message: string): void;
  readonly bufferedAmount: number;
  close(code: number, reason: string): void;
}

export interface AlertHubOptions {
  /**
   * Bytes a subscriber may have unsent before it is closed with 4008.
   * @default 4 * 1024 * 1024
   */
  maxBufferedBytes?: number;
  /** @default 15_000 */
  heartbeatMs?: number;
}

interface Subscriber {
  sink: SubscriberSink;
  matches: (alert: Alert) => boolean;
  lastSent: number;
}

/**
 * The push stage's protocol core: it knows subscribers only as sinks, so it runs the
 * same behind `ws`, in tests, or behind any other transport. A slow subscriber is cut
 * off with a resumable close code instead of slowing the pipeline or anyone else.
 */
export class AlertHub {
  private readonly store: AlertStore;
  private readonly maxBuffered: number;
  private readonly subscribers = new Set<Subscriber>();
  private readonly bySink = new Map<SubscriberSink, Subscriber>();
  private readonly heartbeat: NodeJS.Timeout;

  constructor(store: AlertStore, options: AlertHubOptions = {}) {
    const { maxBufferedBytes = 4 * 1024 * 1024, heartbeatMs = 15_000 } = options;
    this.store = store;
    this.maxBuffered = maxBufferedBytes;
    this.heartbeat = setInterval(() => this.beat(), heartbeatMs);
    this.heartbeat.unref();
  }

  get size(): number {
    return this.subscribers.size;
  }

  /** Subscribes a new connection with a request that has not been validated yet. */
  connect(sink: SubscriberSink, request: unknown): void {
    const parsed = SubscribeMessageSchema.safeParse(request);
    if (!parsed.success) {
      const reason = parsed.error.issues.map((i) => `${formatPath(i.path) || 'subscription'}: ${i.message}`).join('; ');
      sink.close(AlertCloseCode.badSubscription, truncate(`invalid subscription: ${reason}`));
      return;
    }
    this.subscribe(sink, parsed.data);
  }

  /** Handles a message from a subscriber: a new `subscribe` replaces its filter. */
  receive(sink: SubscriberSink, text: string): void {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      sink.send(JSON.stringify({ type: 'error', message: 'invalid JSON' }));
      return;
    }
    const parsed = SubscribeMessageSchema.safeParse(value);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message }));
      sink.send(JSON.stringify({ type: 'error', message: 'invalid subscribe message', issues }));
      return;
    }
    this.disconnect(sink);
    this.subscribe(sink, parsed.data);
  }

  disconnect(sink: SubscriberSink): void {
    const subscriber = this.bySink.get(sink);
    if (!subscriber) return;
    this.bySink.delete(sink);
    this.subscribers.delete(subscriber);
  }

  /** Push stage: delivers a stored alert to every subscriber whose filter matches. */
  publish(stored: StoredAlert): void {
    for (const subscriber of this.subscribers) {
      if (!subscriber.matches(stored.alert)) continue;
      this.deliver(subscriber, stored);
    }
  }

  /** Sends a notice (such as a rule reload) to every subscriber, whatever its filter. */
  broadcast(notice: { type: string } & Record<string, unknown>): void {
    const message = JSON.stringify(notice);
    for (const subscriber of [...this.subscribers]) this.sendNotice(subscriber, message);
  }

  close(): void {
    clearInterval(this.heartbeat);
    for (const subscriber of [...this.subscribers]) {
      this.disconnect(subscriber.sink);
      subscriber.sink.close(AlertCloseCode.goingAway, 'server shutting down; resume with since');
    }
  }

  private subscribe(sink: SubscriberSink, request: SubscribeMessage): void {
    const subscriber: Subscriber = { sink, matches: compileFilter(request.filter), lastSent: request.since ?? this.store.lastSeq };
    this.subscribers.add(subscriber);
    this.bySink.set(sink, subscriber);
    const { lastSeq, firstSeq } = this.store;
    sink.send(JSON.stringify({ type: 'welcome', protocol: 1, lastSeq, firstSeq, filter: request.filter }));
    if (request.since === undefined) return;
    if (request.since > lastSeq) {
      // The sequence started again (this store does not outlive the process): say so, rather than
      // let a client that filters by seq drop every new alert as already seen.
      subscriber.lastSent = lastSeq;
      sink.send(JSON.stringify({ type: 'reset', since: request.since, lastSeq }));
      return;
    }
    if (request.since < firstSeq - 1) {
      // Tell the subscriber plainly what the store no longer holds rather than skipping it silently.
      sink.send(JSON.stringify({ type: 'gap', from: request.since + 1, to: firstSeq - 1 }));
    }
    for (const stored of this.store.since(request.since)) {
      if (!this.subscribers.has(subscriber)) return;
      if (subscriber.matches(stored.alert)) this.deliver(subscriber, stored);
      else subscriber.lastSent = stored.seq;
    }
  }

  private deliver(subscriber: Subscriber, stored: StoredAlert): void {
    if (this.cutOffIfSlow(subscriber)) return;
    subscriber.sink.send(stored.message);
    subscriber.lastSent = stored.seq;
  }

  /** Heartbeats and notices obey the same bound as alerts, so a stalled reader cannot grow without limit. */
  private sendNotice(subscriber: Subscriber, message: string): void {
    if (!this.cutOffIfSlow(subscriber)) subscriber.sink.send(message);
  }

  private cutOffIfSlow(subscriber: Subscriber): boolean {
    if (subscriber.sink.bufferedAmount <= this.maxBuffered) return false;
    this.disconnect(subscriber.sink);
    subscriber.sink.close(AlertCloseCode.tooSlow, `too slow; resume with since=${subscriber.lastSent}`);
    return true;
  }

  private beat(): void {
    const message = JSON.stringify({ type: 'heartbeat', lastSeq: this.store.lastSeq, at: new Date().toISOString() });
    for (const subscriber of [...this.subscribers]) this.sendNotice(subscriber, message);
  }
}

/** Close reasons are limited to 123 bytes by RFC 6455. */
function truncate(reason: string): string {
  return Buffer.byteLength(reason) <= 123 ? reason : `${Buffer.from(reason).subarray(0, 120).toString('utf8')}...`;
}
