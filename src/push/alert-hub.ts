import { formatPath } from '../model/event.ts';
import type { AlertStore } from '../store/alert-store.ts';
import type { StoredAlert } from '../store/alert-log.ts';
import type { TriageEntry } from '../triage/triage.ts';
import { compileFilter, type SubscribeMessage, SubscribeMessageSchema, type SubscriptionFilter } from './subscription.ts';
import type { Alert } from '../alert/alert.ts';
import { CloseCode } from '../kernel/close-codes.js';
import type { AlertSink } from './alert-sink.ts';
import { inScope } from './exercise-scope.ts';
import { issuesOf, requestIdOf, truncate } from './hub-replies.ts';
import type { SubscriberAccess, SubscriberSink } from './subscriber-access.ts';
import { TriageDesk } from './triage-desk.ts';

export type { SubscriberAccess, SubscriberSink } from './subscriber-access.ts';

export interface AlertHubOptions {
  /**
   * Bytes a subscriber may have unsent before it is closed with 4008.
   * @default 4 * 1024 * 1024
   */
  maxBufferedBytes?: number;
  /** @default 15_000 */
  heartbeatMs?: number;
  /** Wall clock for triage entries. @default () => new Date() */
  now?: () => Date;
  /**
   * A subscriber that reads nothing of its unsent data for this long is closed with
   * 4008 and told where to resume. @default 30_000
   */
  maxStallMs?: number;
  /** Answers the casework messages (silences, non-matches, ...) besides subscribe and triage. @default none */
  requests?: RequestHandler;
  /** Whether dismissing this alert needs a second analyst's confirmation (four-eyes). @default never */
  fourEyes?: (alert: Alert) => boolean;
}

/** What a request handler answers: a reply to the sender and, for a change, a notice to every subscriber. */
export interface HandledRequest {
  reply: Record<string, unknown>;
  /** Sent to every subscriber; `masked` to those whose role masks personal data. */
  notice?: { plain: { type: string } & Record<string, unknown>; masked: { type: string } & Record<string, unknown> };
}

/** Further message types on `/alerts` (casework): the hub passes them on with the sender's access. */
export interface RequestHandler {
  handles(type: string): boolean;
  handle(request: Record<string, unknown>, access: SubscriberAccess): HandledRequest;
}

interface Subscriber {
  sink: SubscriberSink;
  access: SubscriberAccess;
  /** As the subscriber asked for it, for the audit log. */
  filter: SubscriptionFilter;
  matches: (alert: Alert) => boolean;
  /** `matches`, and a muted alert only for a subscriber that asked for them (`filter.muted`). */
  shows: (stored: StoredAlert) => boolean;
  lastSent: number;
  /** Still reading its backlog from the store; live alerts reach it through the store too. */
  catchingUp: boolean;
  /** Since when it has been waiting for the subscriber to read what it was sent (0: not waiting). */
  stalledSince: number;
  timer: NodeJS.Timeout | undefined;
}

/** Backlog alerts read from the store at a time. */
const PAGE = 500;
/** While catching up, wait this long for the subscriber to read before sending more. */
const STALL_MS = 10;


/**
 * The push stage's protocol core: it knows subscribers only as sinks, so it runs the
 * same behind `ws`, in tests, or behind any other transport. A slow subscriber is cut
 * off with a resumable close code instead of slowing the pipeline or anyone else.
 */
export class AlertHub implements AlertSink {
  private readonly store: AlertStore;
  private readonly maxBuffered: number;
  private readonly subscribers = new Set<Subscriber>();
  private readonly bySink = new Map<SubscriberSink, Subscriber>();
  private readonly heartbeat: NodeJS.Timeout;
  private readonly now: () => Date;
  private readonly maxStallMs: number;
  private readonly requests: RequestHandler | undefined;
  private readonly triageDesk: TriageDesk;

  constructor(store: AlertStore, options: AlertHubOptions = {}) {
    const { maxBufferedBytes = 4 * 1024 * 1024, heartbeatMs = 15_000, now = () => new Date(), maxStallMs = 30_000 } = options;
    this.requests = options.requests;
    this.triageDesk = new TriageDesk(store, options.fourEyes ?? (() => false), () => this.now(), (stored, entry) => this.tellTriage(stored, entry));
    this.store = store;
    this.maxBuffered = maxBufferedBytes;
    this.now = now;
    this.maxStallMs = maxStallMs;
    this.heartbeat = setInterval(() => this.beat(), heartbeatMs);
    this.heartbeat.unref();
  }

  get size(): number {
    return this.subscribers.size;
  }

  /** Subscribes a new connection with a request that has not been validated yet. */
  connect(sink: SubscriberSink, request: unknown, access: SubscriberAccess = {}): void {
    const parsed = SubscribeMessageSchema.safeParse(request);
    if (!parsed.success) {
      const reason = parsed.error.issues.map((i) => `${formatPath(i.path) || 'subscription'}: ${i.message}`).join('; ');
      sink.close(CloseCode.badSubscription, truncate(`invalid subscription: ${reason}`));
      return;
    }
    this.subscribe(sink, parsed.data, access);
  }

  /** Handles a message from a subscriber: a new `subscribe` replaces its filter; `triage` changes an alert. */
  receive(sink: SubscriberSink, text: string): void {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      sink.send(JSON.stringify({ type: 'error', message: 'invalid JSON' }));
      return;
    }
    const access = this.bySink.get(sink)?.access ?? {};
    const type = (value as { type?: unknown } | null)?.type;
    if (type === 'triage') {
      this.triageDesk.triage(sink, value, access);
      return;
    }
    if (type === 'triage-bulk') {
      this.triageDesk.triageBulk(sink, value, access);
      return;
    }
    if (typeof type === 'string' && this.requests?.handles(type)) {
      this.request(sink, value as Record<string, unknown>, access);
      return;
    }
    const parsed = SubscribeMessageSchema.safeParse(value);
    if (!parsed.success) {
      sink.send(JSON.stringify({ type: 'error', message: 'invalid subscribe message (the types are subscribe and triage)', issues: issuesOf(parsed.error) }));
      return;
    }
    this.disconnect(sink);
    this.subscribe(sink, parsed.data, access);
  }

  disconnect(sink: SubscriberSink): void {
    const subscriber = this.bySink.get(sink);
    if (!subscriber) return;
    clearTimeout(subscriber.timer);
    this.bySink.delete(sink);
    this.subscribers.delete(subscriber);
  }

  /** Push stage: delivers a stored alert to every subscriber whose filter matches. */
  publish(stored: StoredAlert): void {
    for (const subscriber of this.subscribers) {
      if (subscriber.catchingUp || !subscriber.shows(stored)) continue;
      this.deliver(subscriber, stored);
    }
  }

  /** Tells every subscriber that sees the alert of a triage change. */
  private tellTriage(stored: StoredAlert, entry: TriageEntry): void {
    const notice = { type: 'triage', seq: stored.seq, alertId: stored.alert.alertId, entry, triage: stored.triage };
    const plain = JSON.stringify(notice);
    let masked: string | undefined;
    for (const subscriber of [...this.subscribers]) {
      if (!inScope(subscriber.access.scope, stored) || !subscriber.matches(stored.alert)) continue;
      // A note may name the traveller: those who see masked alerts get masked notices.
      const mask = subscriber.access.mask;
      this.sendNotice(subscriber, mask ? (masked ??= JSON.stringify(mask.mask(stored.alert, notice))) : plain);
    }
  }

  /** A casework request: the handler's reply to the sender, its notice to everyone; a store failure is told, not thrown. */
  private request(sink: SubscriberSink, value: Record<string, unknown>, access: SubscriberAccess): void {
    const requestId = requestIdOf(value);
    let handled: HandledRequest;
    try {
      handled = this.requests!.handle(value, access);
    } catch (thrown) {
      const message = thrown instanceof Error ? thrown.message : String(thrown);
      sink.send(JSON.stringify({ type: 'error', ...(requestId !== undefined && { requestId }), message: `not stored: ${message}; nothing changed, try again` }));
      return;
    }
    sink.send(JSON.stringify({ ...handled.reply, ...(requestId !== undefined && { requestId }) }));
    if (handled.notice) this.broadcast(handled.notice.plain, handled.notice.masked, true);
  }

  /** A notice to every subscriber (`liveOnly`: not to trainees, for live casework); masked roles get `forMasked`, when given. */
  broadcast(notice: { type: string } & Record<string, unknown>, forMasked?: { type: string } & Record<string, unknown>, liveOnly = false): void {
    const message = JSON.stringify(notice);
    const masked = forMasked === undefined ? message : JSON.stringify(forMasked);
    for (const subscriber of [...this.subscribers]) if (!liveOnly || subscriber.access.scope === undefined) this.sendNotice(subscriber, subscriber.access.mask ? masked : message);
  }

  close(): void {
    clearInterval(this.heartbeat);
    for (const subscriber of this.subscribers) clearTimeout(subscriber.timer);
    for (const subscriber of [...this.subscribers]) {
      this.disconnect(subscriber.sink);
      subscriber.sink.close(CloseCode.goingAway, 'server shutting down; resume with since');
    }
  }

  private subscribe(sink: SubscriberSink, request: SubscribeMessage, access: SubscriberAccess): void {
    const { mask } = access;
    const matches = compileFilter(request.filter, mask && ((alert) => mask.view(alert)));
    const withMuted = request.filter.muted === true;
    const shows = (stored: StoredAlert): boolean => inScope(access.scope, stored) && (withMuted || stored.muted === undefined) && matches(stored.alert);
    const subscriber: Subscriber = { sink, access, filter: request.filter, matches, shows, lastSent: request.since ?? this.store.lastSeq, catchingUp: false, stalledSince: 0, timer: undefined };
    this.subscribers.add(subscriber);
    this.bySink.set(sink, subscriber);
    const { lastSeq, firstSeq } = this.store;
    // `you`: who the server records this subscriber's triage as, so that a console shows it rather than asks.
    const you = access.by === undefined ? undefined : { name: access.by, role: access.role, triage: access.triageRefused === undefined, ...(access.scope !== undefined && { exercise: access.scope }) };
    sink.send(JSON.stringify({ type: 'welcome', protocol: 1, lastSeq, firstSeq, filter: request.filter, ...(you && { you }) }));
    if (request.since === undefined) return;
    if (request.since > lastSeq) {
      // The sequence is behind what the subscriber saw (a store that was deleted, say): say so,
      // rather than let a client that filters by seq drop every new alert as already seen.
      subscriber.lastSent = lastSeq;
      sink.send(JSON.stringify({ type: 'reset', since: request.since, lastSeq }));
      return;
    }
    if (request.since < firstSeq - 1) {
      // Tell the subscriber plainly what the store no longer holds rather than skipping it silently.
      sink.send(JSON.stringify({ type: 'gap', from: request.since + 1, to: firstSeq - 1 }));
    }
    subscriber.catchingUp = true;
    this.catchUp(subscriber);
  }

  /**
   * Sends the backlog page by page from the store, waiting whenever the subscriber has
   * unread data, until it reaches the newest alert; then it is live. Alerts published
   * meanwhile are already in the store, so the switch has no gap and no duplicate. A
   * live subscriber that falls behind comes back here too: what it has not read waits
   * in the store, not in memory, and neither the pipeline nor anyone else waits for it.
   */
  private catchUp(subscriber: Subscriber): void {
    subscriber.timer = undefined;
    while (this.subscribers.has(subscriber)) {
      // A connection being closed (a revoked token, say) drops what it is sent: stop reading the store for it.
      if (subscriber.sink.open === false) {
        this.disconnect(subscriber.sink);
        return;
      }
      if (subscriber.sink.bufferedAmount > this.maxBuffered / 2) {
        const now = Date.now();
        if (subscriber.stalledSince === 0) subscriber.stalledSince = now;
        else if (now - subscriber.stalledSince > this.maxStallMs) {
          this.cutOff(subscriber);
          return;
        }
        subscriber.timer = setTimeout(() => this.catchUp(subscriber), STALL_MS);
        return;
      }
      subscriber.stalledSince = 0;
      const page = this.store.since(subscriber.lastSent, PAGE);
      const matching = page.filter((stored) => subscriber.shows(stored));
      if (matching.length > 0 && !this.recorded(subscriber, matching.map((s) => s.seq), 'backlog')) return;
      for (const stored of matching) subscriber.sink.send(messageFor(subscriber, stored));
      if (page.length > 0) subscriber.lastSent = page[page.length - 1]!.seq;
      if (page.length < PAGE) {
        subscriber.catchingUp = false;
        // Says where the store read up to, so a client with a narrow filter can resume from
        // here rather than from its last matching alert.
        subscriber.sink.send(JSON.stringify({ type: 'live', lastSeq: subscriber.lastSent }));
        return;
      }
    }
  }

  private deliver(subscriber: Subscriber, stored: StoredAlert): void {
    if (subscriber.sink.open === false) {
      this.disconnect(subscriber.sink);
      return;
    }
    if (subscriber.sink.bufferedAmount > this.maxBuffered) {
      // Behind: stop sending live alerts and let it catch up from the store at its own pace.
      subscriber.catchingUp = true;
      subscriber.timer ??= setTimeout(() => this.catchUp(subscriber), STALL_MS);
      return;
    }
    if (!this.recorded(subscriber, [stored.seq], 'live')) return;
    subscriber.sink.send(messageFor(subscriber, stored));
    subscriber.lastSent = stored.seq;
  }

  /** Heartbeats and notices are dropped for a subscriber that is behind; it learns the state from the store. */
  private sendNotice(subscriber: Subscriber, message: string): void {
    if (subscriber.sink.bufferedAmount <= this.maxBuffered) subscriber.sink.send(message);
  }

  /**
   * Whether alerts may go to this subscriber: their read is on record in the audit log
   * (masked or not, with the filter that chose them), or it needs none. When the log cannot
   * be written the subscriber is closed (1011) rather than sent alerts nobody recorded; it
   * resumes from its last seq later.
   */
  private recorded(subscriber: Subscriber, seqs: readonly number[], how: 'live' | 'backlog'): boolean {
    const { onRead } = subscriber.access;
    if (!onRead || onRead(seqs, how, subscriber.filter)) return true;
    this.disconnect(subscriber.sink);
    subscriber.sink.close(CloseCode.auditUnavailable, `audit log cannot be written; resume with since=${subscriber.lastSent} later`);
    return false;
  }

  private cutOff(subscriber: Subscriber): void {
    this.disconnect(subscriber.sink);
    subscriber.sink.close(CloseCode.tooSlow, `too slow; resume with since=${subscriber.lastSent}`);
  }

  private beat(): void {
    const message = JSON.stringify({ type: 'heartbeat', lastSeq: this.store.lastSeq, at: new Date().toISOString() });
    for (const subscriber of [...this.subscribers]) this.sendNotice(subscriber, message);
  }
}

function messageFor(subscriber: Subscriber, stored: StoredAlert): string {
  return subscriber.access.mask ? subscriber.access.mask.message(stored) : stored.message;
}
