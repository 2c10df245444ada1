/**
 * End-to-end load: the processor in this process (journal fsync on, shipped rules and
 * anomaly indicators), producers and subscribers in child processes over loopback
 * WebSockets. Prints, first, what a bare ws server that only parses and acknowledges
 * reaches with the same producer (the ceiling on this machine), then the processor's
 * sustained events/s with one event per frame and with batched frames;
 * ack latency and ingest-to-alert latency at half the single-event rate; the processor's
 * CPU time per event; and, from a process of its own, memory against distinct documents
 * held in window state.
 */
import { fork } from 'node:child_process';
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import os from 'node:os';
import path from 'node:path';
import { startProcessor } from '../src/processor.ts';
import { startBareServer } from './bare-server.ts';
import type { LoadPhase, LoadResult } from './load-producer.ts';
import type { SubscriberResult } from './load-subscriber.ts';
import { type Stalls, watchStalls } from './load-stalls.ts';
import type { StateMemory } from './state-memory.ts';
import { intOption } from './fresh-traffic.bench.ts';
import { machine, quantile } from './stats.ts';

const ROOT = path.resolve(import.meta.dirname, '..');

export function runProducer(phase: LoadPhase): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(path.join(import.meta.dirname, 'load-producer.ts'), [JSON.stringify(phase)], { execArgv: ['--import', 'tsx'] });
    child.once('message', (m) => resolve(m as LoadResult));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`producer exited with ${code}`))));
  });
}

interface Subscriber {
  stop(): Promise<SubscriberResult>;
}

/** A subscriber process, resolved once it is subscribed. */
function startSubscriber(url: string): Promise<Subscriber> {
  return new Promise((resolve, reject) => {
    const child = fork(path.join(import.meta.dirname, 'load-subscriber.ts'), [url], { execArgv: ['--import', 'tsx'] });
    child.once('error', reject);
    child.once('message', () =>
      resolve({
        stop: () =>
          new Promise((done) => {
            child.once('message', (m) => done(m as SubscriberResult));
            child.send({ stop: true });
          }),
      }),
    );
  });
}

function measureStateMemory(documents: number): Promise<StateMemory> {
  return new Promise((resolve, reject) => {
    const child = fork(path.join(import.meta.dirname, 'state-memory.ts'), [String(documents)], { execArgv: ['--import', 'tsx', '--expose-gc', '--max-old-space-size=12288'] });
    child.once('message', (m) => resolve(m as StateMemory));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`state memory process exited with ${code}`))));
  });
}

export interface AlertLatency {
  phase: string;
  subscribers: number;
  /** Alerts raised on arrival of an event the producer sent in this phase, as each subscriber got them. */
  alerts: number;
  p50Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
  /** Pauses of the processor's event loop of 20 ms or more during the phase, busy or not run (see load-stalls.ts). */
  stalls: Stalls;
}

export interface LoadReport {
  rows: LoadRow[];
  alertLatency: AlertLatency;
  /** Undefined when the memory measurement was left out (`memoryDocuments: 0`). */
  memory: StateMemory | undefined;
}

export interface LoadRow {
  phase: string;
  events: number;
  eventsPerSecond: number;
  ackP50Ms: number;
  ackP99Ms: number;
  ackP999Ms: number;
  serverCpuUsPerEvent: number;
  /** The producer process's CPU time per event: it shares the two cores with the processor. */
  producerCpuUsPerEvent: number;
}

export async function runLoadBench(
  options: {
    singleCount?: number;
    batchCount?: number;
    halfLoadSeconds?: number;
    /** Events/s of the half-load phase, instead of half the single-event phase's: runs compared side by side then send alike. */
    halfLoadRate?: number;
    subscribers?: number;
    /** Documents for the memory measurement; 0 leaves it out. */
    memoryDocuments?: number;
    /** Write a CPU profile of this process over the processor's phases to this file (V8's sampler, node:inspector). */
    profileTo?: string;
    /** The processor's rules; a folder with no indicator files measures the serving path alone. @default the shipped `rules` */
    rulesDir?: string;
  } = {},
): Promise<LoadReport> {
  const { singleCount = 40_000, batchCount = 200_000, halfLoadSeconds = 20, halfLoadRate, subscribers = 2, memoryDocuments = 1_000_000, profileTo, rulesDir = path.join(ROOT, 'rules') } = options;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'border-risk-load-'));
  const processor = await startProcessor({ port: 0, dataDir, rulesDir, streamsDir: path.join(ROOT, 'streams'), log: () => {} });
  const rows: LoadRow[] = [];
  // Each phase sent to the processor starts an hour after the last one's latest event: the
  // generator starts every seed at the same time, and traffic the processor's clock has passed
  // would arrive late and skip the stateful rules (most of a single-event phase did).
  let nextStart: string | undefined;
  const measure = async (name: string, phase: Omit<LoadPhase, 'url' | 'start'>, url = `${processor.url}/ingest`): Promise<LoadResult> => {
    const cpuBefore = process.cpuUsage();
    const toProcessor = url.startsWith(processor.url);
    const result = await runProducer({ ...phase, url, ...(toProcessor && nextStart !== undefined && { start: nextStart }) });
    if (toProcessor) nextStart = new Date(result.lastEventMs + 3_600_000).toISOString();
    const cpu = process.cpuUsage(cpuBefore);
    rows.push({
      phase: name,
      events: result.events,
      eventsPerSecond: Math.round(result.eventsPerSecond),
      ackP50Ms: round(result.ackMs.p50),
      ackP99Ms: round(result.ackMs.p99),
      ackP999Ms: round(result.ackMs.p999),
      serverCpuUsPerEvent: round((cpu.user + cpu.system) / result.events),
      producerCpuUsPerEvent: round(result.producerCpuUsPerEvent),
    });
    return result;
  };
  let alertLatency: AlertLatency;
  try {
    // The ceiling on this machine with this producer, side by side: parsing and acknowledging only.
    const bare = await startBareServer();
    try {
      await measure('ceiling: bare ws server (JSON.parse + ack), 1 event per frame', { count: singleCount, batch: 1, rate: 0, maxInFlight: 1000, seed: 1, idPrefix: 'bare-single' }, bare.url);
      await measure('ceiling: bare ws server (JSON.parse + ack), 100 events per frame', { count: batchCount, batch: 100, rate: 0, maxInFlight: 64, seed: 2, idPrefix: 'bare-batch' }, bare.url);
    } finally {
      await bare.close();
    }
    // Subscribers listen throughout, so fan-out is part of every phase's cost.
    const listeners = await Promise.all(Array.from({ length: subscribers }, () => startSubscriber(`${processor.url}/alerts`)));
    const profiler = profileTo === undefined ? undefined : await startProfiler();
    const single = await measure('1 event per frame, max speed', { count: singleCount, batch: 1, rate: 0, maxInFlight: 1000, seed: 1, idPrefix: 'load-single' });
    await measure('100 events per frame, max speed', { count: batchCount, batch: 100, rate: 0, maxInFlight: 64, seed: 2, idPrefix: 'load-batch' });
    const half = halfLoadRate ?? Math.max(100, Math.round(single.eventsPerSecond / 2));
    const phase = `1 event per frame at ${half.toLocaleString('en')}/s (half load)`;
    const watch = watchStalls();
    const halfLoad = await measure(phase, { count: half * halfLoadSeconds, batch: 1, rate: half, maxInFlight: 100_000, seed: 3, idPrefix: 'load-half', recordSends: true, plantRate: 0.05 });
    const stalls = watch.stop();
    // Let the last alerts arrive before the subscribers report.
    await new Promise((resolve) => setTimeout(resolve, 500));
    if (profiler && profileTo !== undefined) fs.writeFileSync(profileTo, JSON.stringify(await profiler.stop()));
    const seen = await Promise.all(listeners.map((l) => l.stop()));
    const sentAt = new Map(halfLoad.sent ?? []);
    const latencies: number[] = [];
    for (const { received } of seen) {
      for (const [eventId, at] of received) {
        const sent = sentAt.get(eventId);
        if (sent !== undefined) latencies.push(at - sent);
      }
    }
    latencies.sort((a, b) => a - b);
    alertLatency = {
      phase,
      subscribers,
      alerts: latencies.length,
      p50Ms: round(quantile(latencies, 0.5)),
      p99Ms: round(quantile(latencies, 0.99)),
      p999Ms: round(quantile(latencies, 0.999)),
      maxMs: round(latencies.at(-1) ?? Number.NaN),
      stalls,
    };
  } finally {
    await processor.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  const memory = memoryDocuments > 0 ? await measureStateMemory(memoryDocuments) : undefined;
  return { rows, alertLatency, memory };
}

export function printLoadReport(load: LoadReport): void {
  console.table(load.rows);
  const l = load.alertLatency;
  console.log(`ingest-to-alert latency, ${l.phase}, ${l.alerts} alerts over ${l.subscribers} subscribers: p50 ${l.p50Ms} ms, p99 ${l.p99Ms} ms, p99.9 ${l.p999Ms} ms, max ${l.maxMs} ms`);
  const s = l.stalls;
  console.log(`event-loop pauses of 20 ms or more in that phase: ${s.busy} busy (${s.busyMs} ms), ${s.starved} with the process not run (${s.starvedMs} ms, other work on the machine); longest ${s.longestMs} ms, in which the process used ${s.longestCpuMs} ms of CPU`);
  const memory = load.memory;
  if (!memory) return;
  console.log('\nMemory against distinct documents held in window state (heap after full GC):');
  console.table(memory.points.map((p) => ({ crossings: p.events, 'documents held': p.documents, 'heap MB': p.heapMB.toFixed(1) })));
  console.log(`${Math.round(memory.bytesPerDocument)} bytes per document held: ${Math.round(memory.mbPerMillionDocuments)} MB per 1M documents in state`);
}

/** V8's sampling profiler on this process; `stop` gives the profile (a `.cpuprofile`, for bench/profile.ts --summarise). */
async function startProfiler(): Promise<{ stop(): Promise<unknown> }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 250 });
  await session.post('Profiler.start');
  return {
    async stop() {
      const { profile } = await session.post('Profiler.stop');
      session.disconnect();
      return profile;
    },
  };
}

// `npm run bench:load [-- --quick] [--no-memory] [--profile FILE.cpuprofile] [--single N] [--batched N] [--half-seconds N] [--half-rate N] [--rules DIR]`:
// this benchmark alone; the counts shorten a run (the first thousands of events also pay for compiling the code).
if (process.argv[1] === import.meta.filename) {
  const quick = process.argv.includes('--quick');
  const profileAt = process.argv.indexOf('--profile');
  const profileTo = profileAt < 0 ? undefined : process.argv[profileAt + 1];
  if (profileAt >= 0 && profileTo === undefined) throw new Error('--profile takes a file name');
  const rulesAt = process.argv.indexOf('--rules');
  const rulesDir = rulesAt < 0 ? undefined : process.argv[rulesAt + 1];
  if (rulesAt >= 0 && (rulesDir === undefined || rulesDir.startsWith('--'))) throw new Error('--rules takes a rule directory');
  console.log(`machine: ${machine()}\nload average: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}\ndate: ${new Date().toISOString()}\n`);
  printLoadReport(
    await runLoadBench({
      ...(quick && { singleCount: 5_000, batchCount: 20_000, halfLoadSeconds: 3, memoryDocuments: 200_000 }),
      ...(process.argv.includes('--no-memory') && { memoryDocuments: 0 }),
      ...(profileTo !== undefined && { profileTo }),
      ...(process.argv.includes('--single') && { singleCount: intOption('single', 0) }),
      ...(process.argv.includes('--batched') && { batchCount: intOption('batched', 0) }),
      ...(process.argv.includes('--half-seconds') && { halfLoadSeconds: intOption('half-seconds', 0) }),
      ...(process.argv.includes('--half-rate') && { halfLoadRate: intOption('half-rate', 0) }),
      ...(rulesDir !== undefined && { rulesDir: path.resolve(rulesDir) }),
    }),
  );
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
