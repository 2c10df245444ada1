/**
 * The producer side of the load benchmark, run as a separate process so that making
 * and sending frames does not share a core's event loop with the processor. Events are
 * generated before the clock starts; the parent gets one JSON summary over IPC.
 */
import path from 'node:path';
import { generateTraffic } from '../src/generate/traffic.ts';
import { trafficReference } from '../src/generate/traffic-reference.ts';
import { produce } from '../src/generate/producer.ts';
import { loadLists } from '../src/enrich/lists.ts';
import { quantile } from './stats.ts';

export interface LoadPhase {
  url: string;
  count: number;
  batch: number;
  rate: number;
  maxInFlight: number;
  seed: number;
  idPrefix: string;
  /** Return when each event was sent (wall clock, ms), for ingest-to-alert latency. */
  recordSends?: boolean;
  /** Share of planted cases. @default 0.01 */
  plantRate?: number;
  /** Event time of the first event (the generator's own default when absent). */
  start?: string;
}

export interface LoadResult {
  events: number;
  frames: number;
  accepted: number;
  seconds: number;
  eventsPerSecond: number;
  /** The producer process's own CPU time per event (making frames, sending, reading acks). */
  producerCpuUsPerEvent: number;
  ackMs: { p50: number; p99: number; p999: number; max: number };
  /** `[eventId, sentAtMs]`, when asked for. */
  sent?: [string, number][];
  /** The latest event time the phase sent (ms): where the next phase's traffic begins after. */
  lastEventMs: number;
}

const phase = JSON.parse(process.argv[2] ?? '{}') as LoadPhase;
const lists = loadLists(path.resolve(import.meta.dirname, '..', 'rules', 'lists'));
const traffic = generateTraffic({ seed: phase.seed, idPrefix: phase.idPrefix, plantRate: phase.plantRate ?? 0.01, ...(phase.start !== undefined && { start: phase.start }), ...trafficReference(lists) });
const events = Array.from({ length: phase.count }, () => traffic.next().value.event);
const lastEventMs = events.reduce((latest, e) => Math.max(latest, Date.parse(e.eventTime)), Number.NEGATIVE_INFINITY);
const latencies: number[] = [];
const sent: [string, number][] = [];
const now = (): number => performance.timeOrigin + performance.now();
const cpuBefore = process.cpuUsage();
const summary = await produce(events[Symbol.iterator](), {
  url: phase.url,
  batch: phase.batch,
  rate: phase.rate,
  maxInFlight: phase.maxInFlight,
  onReply: (reply, ms) => {
    latencies.push(ms);
    if (!phase.recordSends) return;
    // The frame left `ms` before its reply came back.
    const at = now() - ms;
    for (const r of reply.results) if (r.eventId !== undefined) sent.push([r.eventId, at]);
  },
});
const cpu = process.cpuUsage(cpuBefore);
latencies.sort((a, b) => a - b);
const result: LoadResult = {
  events: summary.events,
  frames: summary.frames,
  accepted: summary.accepted,
  seconds: summary.seconds,
  eventsPerSecond: summary.events / summary.seconds,
  producerCpuUsPerEvent: (cpu.user + cpu.system) / summary.events,
  ackMs: { p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99), p999: quantile(latencies, 0.999), max: latencies.at(-1) ?? Number.NaN },
  ...(phase.recordSends && { sent }),
  lastEventMs,
};
process.send?.(result);
