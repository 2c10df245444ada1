/**
 * End-to-end load: the processor in this process (journal fsync on, shipped rules),
 * producers in child processes over loopback WebSockets. Prints sustained events/s with
 * one event per frame and with batched frames, ack latency at half the single-event
 * rate, and the processor's CPU time per event.
 */
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startProcessor } from '../src/processor.ts';
import type { LoadPhase, LoadResult } from './load-producer.ts';

const ROOT = path.resolve(import.meta.dirname, '..');

function runProducer(phase: LoadPhase): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(path.join(import.meta.dirname, 'load-producer.ts'), [JSON.stringify(phase)], { execArgv: ['--import', 'tsx'] });
    child.once('message', (m) => resolve(m as LoadResult));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`producer exited with ${code}`))));
  });
}

export interface LoadRow {
  phase: string;
  events: number;
  eventsPerSecond: number;
  ackP50Ms: number;
  ackP99Ms: number;
  ackP999Ms: number;
  serverCpuUsPerEvent: number;
}

export async function runLoadBench(options: { singleCount?: number; batchCount?: number; halfLoadSeconds?: number } = {}): Promise<LoadRow[]> {
  const { singleCount = 40_000, batchCount = 200_000, halfLoadSeconds = 10 } = options;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'border-risk-load-'));
  const processor = await startProcessor({ port: 0, dataDir, rulesDir: path.join(ROOT, 'rules'), streamsDir: path.join(ROOT, 'streams'), log: () => {} });
  const url = `${processor.url}/ingest`;
  const rows: LoadRow[] = [];
  const measure = async (name: string, phase: Omit<LoadPhase, 'url'>): Promise<LoadResult> => {
    const cpuBefore = process.cpuUsage();
    const result = await runProducer({ ...phase, url });
    const cpu = process.cpuUsage(cpuBefore);
    rows.push({
      phase: name,
      events: result.events,
      eventsPerSecond: Math.round(result.eventsPerSecond),
      ackP50Ms: round(result.ackMs.p50),
      ackP99Ms: round(result.ackMs.p99),
      ackP999Ms: round(result.ackMs.p999),
      serverCpuUsPerEvent: round((cpu.user + cpu.system) / result.events),
    });
    return result;
  };
  try {
    const single = await measure('1 event per frame, max speed', { count: singleCount, batch: 1, rate: 0, maxInFlight: 1000, seed: 1, idPrefix: 'load-single' });
    await measure('100 events per frame, max speed', { count: batchCount, batch: 100, rate: 0, maxInFlight: 64, seed: 2, idPrefix: 'load-batch' });
    const half = Math.max(100, Math.round(single.eventsPerSecond / 2));
    await measure(`1 event per frame at ${half}/s (half load)`, { count: half * halfLoadSeconds, batch: 1, rate: half, maxInFlight: 100_000, seed: 3, idPrefix: 'load-half' });
  } finally {
    await processor.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  return rows;
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
