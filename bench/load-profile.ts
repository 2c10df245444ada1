/**
 * Where the serving processor's time goes per event, one event per frame against 100 per
 * frame: the processor in this process (as bench/load.ts runs it), the load producer in a
 * child, each phase under V8's sampling profiler (node:inspector) after a warm-up of both
 * kinds of frame. Prints CPU time per event (user and system, every thread), garbage
 * collections, the event loop's delay, and the functions whose self time per event differs
 * most between the two phases: what a frame costs beyond its events. `--rules DIR` serves
 * another rule folder (a folder with no indicator files leaves the assessment all but out).
 *
 *   node --import tsx bench/load-profile.ts [--single 10000] [--batched 30000] [--top 30] [--rules DIR]
 *
 * The machine is shared: compare runs made side by side, and read the table for its order
 * more than its figures.
 */
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { startProcessor } from '../src/processor.ts';
import { intOption } from './fresh-traffic.bench.ts';
import { runProducer } from './load.ts';
import type { LoadPhase, LoadResult } from './load-producer.ts';
import { machine } from './stats.ts';

const ROOT = path.resolve(import.meta.dirname, '..');

interface Profile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

interface PhaseCost {
  events: number;
  eventsPerSecond: number;
  userUs: number;
  systemUs: number;
  gcs: number;
  gcMs: number;
  loopDelayP99Ms: number;
  /** Self time per function, µs per event. */
  functions: Map<string, number>;
}

let nextStart: string | undefined;

/** A producer run; each starts an hour after the last one's latest event (see bench/load.ts). */
async function produce(phase: Omit<LoadPhase, 'start'>): Promise<LoadResult> {
  const result = await runProducer({ ...phase, ...(nextStart !== undefined && { start: nextStart }) });
  nextStart = new Date(result.lastEventMs + 3_600_000).toISOString();
  return result;
}

/** Self time per function in µs per event; idle time and the profiler's own are left out. */
function perEvent(profile: Profile, events: number): Map<string, number> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const out = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const frame = byId.get(id)!;
    if (frame.functionName === '(idle)' || (frame.url === '' && frame.functionName === 'dispatch')) return;
    const file = frame.url === '' ? '' : ` ${path.relative(ROOT, frame.url.replace(/^file:\/\//, ''))}:${frame.lineNumber + 1}`;
    const name = `${frame.functionName || '(anonymous)'}${file}`;
    out.set(name, (out.get(name) ?? 0) + (profile.timeDeltas[i] ?? 0) / events);
  });
  return out;
}

async function measure(url: string, phase: Omit<LoadPhase, 'url'>): Promise<PhaseCost> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 250 });
  let gcs = 0;
  let gcMs = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gcs += 1;
      gcMs += entry.duration;
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  await session.post('Profiler.start');
  const cpu0 = process.cpuUsage();
  const result = await produce({ ...phase, url });
  const cpu = process.cpuUsage(cpu0);
  const { profile } = await session.post('Profiler.stop');
  delay.disable();
  observer.disconnect();
  session.disconnect();
  return {
    events: result.events,
    eventsPerSecond: Math.round(result.eventsPerSecond),
    userUs: cpu.user / result.events,
    systemUs: cpu.system / result.events,
    gcs,
    gcMs,
    loopDelayP99Ms: delay.percentile(99) / 1e6,
    functions: perEvent(profile as Profile, result.events),
  };
}

async function main(): Promise<void> {
  const single = intOption('single', 10_000);
  const batched = intOption('batched', 30_000);
  const top = intOption('top', 30);
  const rulesAt = process.argv.indexOf('--rules');
  const rulesDir = rulesAt < 0 ? path.join(ROOT, 'rules') : path.resolve(process.argv[rulesAt + 1] ?? '');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'border-risk-load-profile-'));
  const processor = await startProcessor({ port: 0, dataDir, rulesDir, streamsDir: path.join(ROOT, 'streams'), log: () => {} });
  const url = `${processor.url}/ingest`;
  let phases: [string, PhaseCost][];
  try {
    // Both kinds of frame once before measuring, so that neither phase pays for compiling the code.
    await produce({ url, count: 5_000, batch: 100, rate: 0, maxInFlight: 64, seed: 4, idPrefix: 'warm-batch' });
    await produce({ url, count: 3_000, batch: 1, rate: 0, maxInFlight: 1000, seed: 5, idPrefix: 'warm-single' });
    phases = [
      ['1 event per frame', await measure(url, { count: single, batch: 1, rate: 0, maxInFlight: 1000, seed: 1, idPrefix: 'profile-single' })],
      ['100 events per frame', await measure(url, { count: batched, batch: 100, rate: 0, maxInFlight: 64, seed: 2, idPrefix: 'profile-batch' })],
    ];
  } finally {
    await processor.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  console.log(`machine: ${machine()}; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}; rules ${path.relative(ROOT, rulesDir) || rulesDir}\n`);
  console.table(
    phases.map(([phase, c]) => ({
      phase,
      events: c.events,
      'events/s': c.eventsPerSecond,
      'CPU µs/event': round(c.userUs + c.systemUs),
      'user µs': round(c.userUs),
      'system µs': round(c.systemUs),
      'main thread µs (sampled)': round([...c.functions.values()].reduce((a, b) => a + b, 0)),
      GCs: c.gcs,
      'GC ms': Math.round(c.gcMs),
      'loop delay p99 ms': round(c.loopDelayP99Ms),
    })),
  );
  const [, one] = phases[0]!;
  const [, hundred] = phases[1]!;
  const names = new Set([...one.functions.keys(), ...hundred.functions.keys()]);
  const rows = [...names].map((name) => ({ name, single: one.functions.get(name) ?? 0, batched: hundred.functions.get(name) ?? 0 }));
  rows.sort((a, b) => b.single - b.batched - (a.single - a.batched));
  console.log('\nSelf time, µs per event, by what a frame of one event costs more than an event of a frame of 100:\n');
  console.log('| function | 1/frame | 100/frame | difference |\n|---|---|---|---|');
  for (const r of rows.slice(0, top)) console.log(`| ${r.name} | ${r.single.toFixed(2)} | ${r.batched.toFixed(2)} | ${(r.single - r.batched).toFixed(2)} |`);
  rows.sort((a, b) => b.batched - a.batched);
  console.log('\nSelf time, µs per event, 100 events per frame, largest first:\n');
  console.log('| function | 100/frame |\n|---|---|');
  for (const r of rows.slice(0, top)) console.log(`| ${r.name} | ${r.batched.toFixed(2)} |`);
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

if (process.argv[1] === import.meta.filename) await main();
