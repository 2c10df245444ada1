/**
 * The producer side of the load benchmark, run as a separate process so that making
 * and sending frames does not share a core's event loop with the processor. Events are
 * generated before the clock starts; the parent gets one JSON summary over IPC.
 */
import path from 'node:path';
import { generateTraffic } from '../src/generate/traffic.ts';
import { trafficReference } from '../src/generate/traffic-reference.ts';
import { produce } from '../src/generate/producer.ts';
import { loadLists } from '../src/rules/lists.ts';
import { quantile } from './stats.ts';

export interface LoadPhase {
  url: string;
  count: number;
  batch: number;
  rate: number;
  maxInFlight: number;
  seed: number;
  idPrefix: string;
}

export interface LoadResult {
  events: number;
  frames: number;
  accepted: number;
  seconds: number;
  eventsPerSecond: number;
  ackMs: { p50: number; p99: number; p999: number; max: number };
}

const phase = JSON.parse(process.argv[2] ?? '{}') as LoadPhase;
const lists = loadLists(path.resolve(import.meta.dirname, '..', 'rules', 'lists'));
const traffic = generateTraffic({ seed: phase.seed, idPrefix: phase.idPrefix, plantRate: 0.01, ...trafficReference(lists) });
const events = Array.from({ length: phase.count }, () => traffic.next().value.event);
const latencies: number[] = [];
const summary = await produce(events[Symbol.iterator](), {
  url: phase.url,
  batch: phase.batch,
  rate: phase.rate,
  maxInFlight: phase.maxInFlight,
  onReply: (_reply, ms) => latencies.push(ms),
});
latencies.sort((a, b) => a - b);
const result: LoadResult = {
  events: summary.events,
  frames: summary.frames,
  accepted: summary.accepted,
  seconds: summary.seconds,
  eventsPerSecond: summary.events / summary.seconds,
  ackMs: { p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99), p999: quantile(latencies, 0.999), max: latencies.at(-1) ?? Number.NaN },
};
process.send?.(result);
