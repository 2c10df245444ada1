import { AckPolicy, type ConsumerMessages, DeliverPolicy, type JetStreamClient, type JetStreamManager, type JsMsg, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import type { Alert } from '../alert/alert.ts';
import { ConnectionError, toError } from '../errors.ts';
import { type BorderEvent, type EventIssue, validateEvent } from '../model/event.ts';
import type { AlertSink } from '../push/alert-sink.ts';
import type { AlertLog } from '../store/alert-log.ts';
import { type BrokerAddress, type BrokerLink, connectBroker } from './connect.ts';
import { HitsCollector, type HitsBatch, publishHits } from './hits.ts';
import { NatsAlertLog } from './nats-alert-log.ts';
import { type EventMessage, NatsEventLog } from './nats-event-log.ts';
import { ALERTS_STREAM, DUPLICATE_WINDOW_MS, EVENTS_STREAM, ensureStreams, isNotFound } from './streams.ts';

/** Which share of the stateful rules' keys this process assesses: instance `index` of `count`. */
export interface Instance {
  index: number;
  count: number;
}

export interface BrokerOptions extends BrokerAddress {
  /** @default { index: 0, count: 1 } */
  instance?: Instance;
  /** JetStream domains of border posts' leaf nodes whose EVENTS streams the centre's sources. */
  sources?: readonly string[];
}

/** A message of the events stream, decoded: an event, or why it is not one. */
export type StreamEvent =
  | { seq: number; ok: true; event: BorderEvent; receivedAt: string }
  | { seq: number; ok: false; issues: EventIssue[]; payload: unknown };

/** What `GET /health` shows of the broker. */
export interface BrokerStatus {
  url: string;
  connected: boolean;
  down?: string;
  instance: string;
  /** The last event (stream sequence) this instance's consumer acknowledged. */
  acknowledged: number;
  duplicateWindowMs: number;
}

/** Events fetched per pull; acknowledged together once their alerts are on the alerts stream. */
const BATCH = 256;
/** How long a pull waits for events when there are none. */
const PULL_EXPIRES_MS = 1_000;
/** Empty reads in a row after which reading a range of the stream that holds more gives up. */
const EMPTY_READS = 30;
/** How long a close waits for the connection to drain. */
const CLOSE_WAIT_MS = 2_000;
/** Before the server delivers an event again that was not acknowledged. */
const ACK_WAIT_MS = 30_000;

/**
 * The processor's side of a NATS JetStream broker: the gateway's event log (EVENTS), a
 * processor instance's alert log (ALERTS) and its durable consumer of EVENTS, and the
 * hub's durable consumer of ALERTS. Made by `openBroker`; src/processor.ts wires it.
 */
export class Broker {
  readonly eventLog: NatsEventLog;
  readonly alertLog: NatsAlertLog;
  readonly instance: Instance;
  readonly eventsStream = EVENTS_STREAM;
  private acknowledged = 0;
  private readonly running: ConsumerMessages[] = [];
  private collector: HitsCollector | undefined;
  /** The consuming loops, which end soon after `stopped` is set (a pull waits at most PULL_EXPIRES_MS). */
  private readonly loops: Promise<void>[] = [];
  private closing = false;

  constructor(
    private readonly link: BrokerLink,
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    instance: Instance,
    private readonly log: (line: string) => void,
  ) {
    this.instance = instance;
    this.eventLog = new NatsEventLog(js, link);
    this.alertLog = new NatsAlertLog(js, link, log);
  }

  /** Closed, or closing. */
  get stopped(): boolean {
    return this.closing;
  }

  /** The last event this instance acknowledged. */
  get acknowledgedSeq(): number {
    return this.acknowledged;
  }

  /** The durable consumer of this processor instance. */
  get consumerName(): string {
    return `processor-${this.instance.index}-of-${this.instance.count}`;
  }

  /** The last event this instance acknowledged before it stopped: everything up to it had its alerts published. */
  async ackFloor(): Promise<number> {
    try {
      const info = await this.jsm.consumers.info(EVENTS_STREAM, this.consumerName);
      // A consumer made to start after `after` reports an ack floor of 0 until its first acknowledgement.
      const start = info.config.deliver_policy === DeliverPolicy.StartSequence ? (info.config.opt_start_seq ?? 1) - 1 : 0;
      return Math.max(info.ack_floor.stream_seq, start);
    } catch (error) {
      if (isNotFound(error)) return 0;
      throw error;
    }
  }

  /**
   * Reads events `from`..`to` (stream sequences) in order, with an ordered consumer; returns
   * how many (fewer when the stream no longer holds some). Throws if stopped before `to`.
   */
  async readEvents(from: number, to: number, each: (event: StreamEvent) => void): Promise<number> {
    if (to < from) return 0;
    const consumer = await this.js.consumers.get(EVENTS_STREAM, { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: from });
    let count = 0;
    let last = from - 1;
    let empty = 0;
    while (!this.closing && last < to) {
      if (empty === EMPTY_READS) throw new Error(`the ${EVENTS_STREAM} stream gave no event after ${last} in ${EMPTY_READS} reads, reading up to ${to}`);
      const messages = await consumer.fetch({ max_messages: BATCH, expires: PULL_EXPIRES_MS });
      const before = last;
      for await (const m of messages) {
        if (m.seq > to) {
          last = to;
          break;
        }
        each(decode(m));
        count += 1;
        last = m.seq;
      }
      // A fetch may come back empty on a loaded machine before the end: only a stream that holds nothing more ends the read.
      if (last > before) empty = 0;
      else if ((await this.jsm.streams.info(EVENTS_STREAM)).state.last_seq <= last) break;
      else empty += 1;
    }
    await consumer.delete().catch(() => undefined);
    // Stopped part of the way: what follows the range must not be handled as if it had all been read.
    if (last < to && this.closing) throw new Error(`stopped while reading events ${from}-${to} of ${EVENTS_STREAM}, at ${last}`);
    return count;
  }

  /**
   * Consumes the events after `after` with this instance's durable pull consumer, made
   * afresh to start there: `handle` gets each batch in stream order, without a gap, and
   * resolves once its effects are durable (alerts acknowledged by the alerts stream, dead
   * letters synced); only then is the batch acknowledged. A handler that fails leaves the
   * batch unacknowledged, to be delivered again.
   *
   * The server may deliver events that never reach this loop: a fetch that ends (its
   * heartbeats missed while the server or the disk stalls) after taking messages, or
   * messages sent to a fetch that had just ended. They would come again only after
   * ACK_WAIT_MS, behind later events; handling those first would skip them for good. So a
   * gap before the next event is read again from the stream (in order, with an ordered
   * consumer) and handled first; the lost deliveries, when they come back, are acknowledged
   * as handled.
   */
  async consumeEvents(after: number, handle: (batch: StreamEvent[]) => Promise<void>): Promise<void> {
    await this.jsm.consumers.delete(EVENTS_STREAM, this.consumerName).catch((error: unknown) => {
      if (!isNotFound(error)) throw error;
    });
    await this.jsm.consumers.add(EVENTS_STREAM, {
      durable_name: this.consumerName,
      ack_policy: AckPolicy.Explicit,
      ack_wait: nanos(ACK_WAIT_MS),
      ...(after > 0 ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: after + 1 } : { deliver_policy: DeliverPolicy.All }),
    });
    this.acknowledged = after;
    const consumer = await this.js.consumers.get(EVENTS_STREAM, this.consumerName);
    this.loops.push((async () => {
      let reported = false;
      while (!this.closing) {
        try {
          const batch: JsMsg[] = [];
          const messages = await consumer.fetch({ max_messages: BATCH, expires: PULL_EXPIRES_MS });
          for await (const m of messages) batch.push(m);
          if (batch.length === 0) continue;
          for (const run of runsAfter(batch, this.acknowledged)) {
            const gapTo = run[0]!.seq - 1;
            if (gapTo > this.acknowledged) {
              const missing: StreamEvent[] = [];
              await this.readEvents(this.acknowledged + 1, gapTo, (event) => missing.push(event));
              this.log(`broker: events ${this.acknowledged + 1}-${gapTo} of ${EVENTS_STREAM} did not come to this instance in order (lost with a fetch, or no longer in the stream); ${missing.length} read again from the stream and handled first`);
              if (missing.length > 0) await handle(missing);
              this.acknowledged = gapTo;
            }
            await handle(run.map(decode));
            this.acknowledged = run[run.length - 1]!.seq;
          }
          for (const m of batch) m.ack();
          reported = false;
        } catch (error) {
          if (this.closing) break;
          if (!reported) this.log(`broker: consuming events stalled: ${toError(error).message}; trying again`);
          reported = true;
          await new Promise((resolve) => setTimeout(resolve, PULL_EXPIRES_MS));
        }
      }
    })());
  }

  /**
   * The hub's side: consumes the alerts stream with a durable consumer of this name, keeps
   * each alert in `store` (which drops an alert id it already has) and tells `sinks` of
   * those it kept, then acknowledges.
   */
  async consumeAlerts(name: string, store: AlertLog, sinks: readonly AlertSink[], onFault: (error: Error, alert: unknown) => void): Promise<void> {
    const durable = `hub-${name}`;
    try {
      await this.jsm.consumers.info(ALERTS_STREAM, durable);
    } catch (error) {
      if (!isNotFound(error)) throw error;
      await this.jsm.consumers.add(ALERTS_STREAM, { durable_name: durable, ack_policy: AckPolicy.Explicit, ack_wait: nanos(ACK_WAIT_MS), deliver_policy: DeliverPolicy.All });
    }
    const consumer = await this.js.consumers.get(ALERTS_STREAM, durable);
    const messages = await consumer.consume({ max_messages: BATCH });
    this.running.push(messages);
    this.loops.push((async () => {
      for await (const m of messages) {
        let alert: Alert;
        try {
          alert = m.json<Alert>();
        } catch (error) {
          onFault(toError(error), m.string());
          m.term();
          continue;
        }
        try {
          const stored = store.append(alert);
          if (stored) for (const sink of sinks) sink.publish(stored);
          m.ack();
        } catch (error) {
          onFault(toError(error), alert);
          m.nak(1_000);
        }
      }
    })());
  }

  /** Instance 0 of several: the other instances' hits, read from the HITS stream for events after `after`. */
  async followHits(after: number): Promise<HitsCollector> {
    const collector = new HitsCollector(this.instance.count, this.log);
    this.loops.push((await collector.follow(this.js, after)).done);
    this.collector = collector;
    return collector;
  }

  /** Another instance: its hits for a batch of events, resolved once JetStream has them. */
  publishHits(batch: Omit<HitsBatch, 'instance' | 'count'>): Promise<void> {
    return publishHits(this.js, { instance: this.instance.index, count: this.instance.count, ...batch });
  }

  status(): BrokerStatus {
    const down = this.link.down();
    return {
      url: this.link.shownUrl,
      connected: down === undefined,
      ...(down !== undefined && { down }),
      instance: `${this.instance.index}/${this.instance.count}`,
      acknowledged: this.acknowledged,
      duplicateWindowMs: DUPLICATE_WINDOW_MS,
    };
  }

  /** Stops consuming, waits for publishes in flight, and closes the connection. */
  async close(): Promise<void> {
    this.closing = true;
    for (const messages of this.running.splice(0)) messages.stop();
    this.collector?.stop();
    await Promise.all(this.loops.splice(0));
    await this.eventLog.drain();
    await this.alertLog.flush(() => true);
    const drained = this.link.nc.drain().catch(() => undefined);
    // A server that went away does not answer a drain: the connection is closed instead.
    await Promise.race([drained, new Promise((resolve) => setTimeout(resolve, CLOSE_WAIT_MS).unref())]);
    if (!this.link.nc.isClosed()) await this.link.nc.close();
  }
}

/** Connects, makes sure both streams exist, and gives the broker; a `ConnectionError` naming the URL if it cannot. */
export async function openBroker(options: BrokerOptions, context: { name: string; log: (line: string) => void }): Promise<Broker> {
  const link = await connectBroker(options, context);
  try {
    const jsm = await jetstreamManager(link.nc);
    await ensureStreams(jsm, options.sources);
    return new Broker(link, jetstream(link.nc), jsm, options.instance ?? { index: 0, count: 1 }, context.log);
  } catch (error) {
    await link.nc.close();
    throw new ConnectionError(`the NATS broker at ${link.shownUrl} did not set up JetStream's EVENTS and ALERTS streams: ${toError(error).message} (is JetStream on, with -js or a jetstream block?)`, { cause: error });
  }
}

/**
 * The messages of a fetched batch still to handle, those after `acknowledged`, in stream
 * order and each once, cut into runs of consecutive sequence numbers: what lies between
 * two runs (or before the first) was delivered elsewhere, or is no longer in the stream.
 */
export function runsAfter<M extends { seq: number }>(batch: readonly M[], acknowledged: number): M[][] {
  const fresh = batch.filter((m) => m.seq > acknowledged).sort((a, b) => a.seq - b.seq);
  const runs: M[][] = [];
  for (const m of fresh) {
    const run = runs[runs.length - 1];
    const last = run?.[run.length - 1];
    if (last?.seq === m.seq) continue;
    if (run && last!.seq + 1 === m.seq) run.push(m);
    else runs.push([m]);
  }
  return runs;
}

function decode(m: JsMsg): StreamEvent {
  let message: Partial<EventMessage>;
  try {
    message = m.json<Partial<EventMessage>>();
  } catch (error) {
    return { seq: m.seq, ok: false, issues: [{ path: '', message: `not JSON: ${toError(error).message}` }], payload: m.string() };
  }
  if (typeof message !== 'object' || message === null || typeof message.receivedAt !== 'string') return { seq: m.seq, ok: false, issues: [{ path: 'receivedAt', message: 'a message of the events stream must be {"receivedAt": ISO time, "event": {...}}' }], payload: message };
  const checked = validateEvent(message.event);
  if (!checked.success) return { seq: m.seq, ok: false, issues: checked.issues.map((i) => ({ path: `event${i.path === '' ? '' : `.${i.path}`}`, message: i.message })), payload: message };
  return { seq: m.seq, ok: true, event: checked.event, receivedAt: message.receivedAt };
}
