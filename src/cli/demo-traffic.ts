import WebSocket from 'ws';
import { connectOptions, ingestRefusal } from '../client/connect-options.ts';
import { toError, ConnectionError } from '../errors.ts';
import { POSTS } from '../generate/region.ts';
import { generateTraffic, type Generated, type TrafficOptions } from '../generate/traffic.ts';
import type { IngestReply } from '../ingest/protocol.ts';

/** How often due events are sent, and the most frames left unanswered before sending waits. */
const TICK_MS = 100;
const MAX_IN_FLIGHT = 64;
/** The region's modelled volume: each post's daily crossings and cargo declarations, per second. */
const MODELLED_PER_SECOND = POSTS.reduce((sum, p) => sum + p.dailyCrossings + p.dailyCargo, 0) / 86_400;
/**
 * Of that, the one-off trips (the rest is regulars: commuters, traders, trucks, crews),
 * measured on the generator: 0.43 of its events at volume 1. The demo scales these alone.
 */
const ONE_OFF_PER_SECOND = 0.43 * MODELLED_PER_SECOND;

export interface DemoOptions {
  /** `ws://host:port/ingest` */
  url: string;
  token?: string;
  ca?: string | Buffer;
  /** Events per second, on average over a day. */
  rate: number;
  plantRate: number;
  seed: number;
  /** Lists the generator follows (`trafficReference(lists)`). */
  reference: Pick<TrafficOptions, 'hsNorms' | 'usdPerUnit' | 'stolenDocuments'>;
  signal: AbortSignal;
  /** The wall clock. @default Date.now */
  now?: () => number;
}

export interface DemoTraffic {
  /** The one-off trips' volume against the region's modelled one (its regulars stay as modelled). */
  volume: number;
  /** Resolves when the demo stops (aborted, or the connection ended, with why). */
  done: Promise<void>;
}

/**
 * The demo producer of `serve --demo`: generated traffic whose event times follow the wall
 * clock. One generator spaces its events by the region's modelled volume (about 0.6 per
 * second), so sending it at the demo's rate ran its clock about 90× ahead: alerts were
 * stamped hours ahead, and after a restart the new run's first events were behind the
 * restored stream clock, counted late. Instead the generator starts at now with its one-off
 * trips scaled to the rate (a busier region), and each event is sent when the wall clock
 * reaches its event time.
 */
export function startDemoTraffic(options: DemoOptions): DemoTraffic {
  const { url, token, ca, rate, plantRate, seed, reference, signal, now = Date.now } = options;
  // One generator whose one-off trips are scaled to the rate: its regulars (kept in memory)
  // stay those of one region, which the demo's rate would otherwise multiply into gigabytes.
  const volume = Math.max(1, (rate - (MODELLED_PER_SECOND - ONE_OFF_PER_SECOND)) / ONE_OFF_PER_SECOND);
  const start = new Date(now()).toISOString();
  const run = now().toString(36);
  const sources = [generateTraffic({ seed, start, plantRate, idPrefix: `demo-${run}`, volume, regulars: 1, ...reference })];
  // The next event of each generator, by event time.
  const heads: { at: number; generated: Generated; source: number }[] = sources.map((source, i) => head(source, i));
  heads.sort((a, b) => a.at - b.at);

  const done = new Promise<void>((resolve, reject) => {
    const socket = new WebSocket(url, connectOptions(token, ca));
    let unanswered = 0;
    let timer: NodeJS.Timeout | undefined;
    const finish = (error?: Error): void => {
      if (timer) clearInterval(timer);
      socket.removeAllListeners('close');
      if (socket.readyState === WebSocket.OPEN) socket.close(1000);
      if (error && !signal.aborted) reject(error);
      else resolve();
    };
    const tick = (): void => {
      if (unanswered >= MAX_IN_FLIGHT) return;
      const due: unknown[] = [];
      const wall = now();
      while (heads.length > 0 && heads[0]!.at <= wall && due.length < 2_000) {
        const next = heads.shift()!;
        due.push(next.generated.event);
        insert(heads, head(sources[next.source]!, next.source));
      }
      if (due.length === 0) return;
      unanswered += 1;
      socket.send(JSON.stringify(due));
    };
    socket.on('open', () => {
      timer = setInterval(tick, TICK_MS);
      tick();
    });
    socket.on('message', (data) => {
      if ((JSON.parse(data.toString()) as IngestReply).type === 'ack') unanswered -= 1;
    });
    socket.on('error', (error) => finish(toError(error)));
    socket.on('close', (code, reason) => finish(new ConnectionError(ingestRefusal(url, code, reason.toString()) ?? `ingest connection closed (${code}${reason.length > 0 ? `: ${reason.toString()}` : ''})`)));
    signal.addEventListener('abort', () => finish(), { once: true });
  });
  return { volume, done };
}

function head(source: Iterator<Generated>, index: number): { at: number; generated: Generated; source: number } {
  const generated = source.next().value as Generated;
  return { at: Date.parse(generated.event.eventTime), generated, source: index };
}

/** Keeps `heads` sorted by time: one insertion per event into a list as long as the number of generators. */
function insert(heads: { at: number }[], item: { at: number; generated: Generated; source: number }): void {
  let lo = 0;
  let hi = heads.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (heads[mid]!.at <= item.at) lo = mid + 1;
    else hi = mid;
  }
  heads.splice(lo, 0, item as never);
}
