/**
 * Recordings: Arrow write and read rates, and the rule pack run on events read back from
 * a recording (the backtest's and replay's path), on seeded traffic encoded before timing.
 * Each task handles one record batch of 1,000 events unless it says otherwise.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RecordBatchReader, type RecordBatch } from 'apache-arrow';
import { Bench } from 'tinybench';
import { enrichEvent } from '../src/enrich/enrich.ts';
import { generateTraffic } from '../src/generate/traffic.ts';
import { trafficReference } from '../src/generate/traffic-reference.ts';
import { assessEvent, firedRules } from '../src/indicators/evaluate-indicators.ts';
import { StateEngine } from '../src/indicators/state-engine.ts';
import { validateEvent } from '../src/model/event.ts';
import { createMetrics } from '../src/kernel/metrics.ts';
import { decodeBatch } from '../src/record/decode-batch.ts';
import { BatchEncoder, END_OF_STREAM } from '../src/record/encode-events.ts';
import type { RecordedEvent } from '../src/record/recorded-event.ts';
import { readRecording } from '../src/record/read-recording.ts';
import { Recorder } from '../src/record/recorder.ts';
import { loadRuleSet } from '../src/rules/rule-set.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const BLOCK = 1000;
const EVENTS = 20_000;

export interface ReplayBenchRow {
  task: string;
  usPerEvent: number;
  eventsPerSecond: number;
  /** For read and write tasks: megabytes of Arrow IPC per second. */
  mbPerSecond?: number;
}

export async function runReplayBench(): Promise<ReplayBenchRow[]> {
  const rules = loadRuleSet({ rulesDir: path.join(ROOT, 'rules'), streamsDir: path.join(ROOT, 'streams') });
  const traffic = generateTraffic({ seed: 4242, plantRate: 0.02, ...trafficReference(rules.lists) });
  const recorded: RecordedEvent[] = Array.from({ length: EVENTS }, (_, i) => {
    const { event, label } = traffic.next().value;
    const checked = validateEvent(JSON.parse(JSON.stringify(event)) as unknown);
    if (!checked.success) throw new Error('generated an invalid event');
    return label ? { n: i + 1, event: checked.event, label } : { n: i + 1, event: checked.event };
  });
  const blocks = Array.from({ length: EVENTS / BLOCK }, (_, b) => recorded.slice(b * BLOCK, (b + 1) * BLOCK));
  const encoder = new BatchEncoder();
  // One stream per block (schema, batch, end of stream), as a reader meets it in a segment.
  const streams = blocks.map((block) => Buffer.concat([encoder.header, encoder.encode(block), END_OF_STREAM]));
  const batches: RecordBatch[] = streams.map((bytes) => [...RecordBatchReader.from(bytes)][0]!);
  const batchBytes = streams.reduce((s, b) => s + b.length, 0) / streams.length;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'replay-bench-'));
  const recorder = Recorder.open(dir, { flushMs: 0, fsync: false });
  for (const r of recorded) recorder.append(r);
  recorder.close();
  const fileBytes = fs.readdirSync(dir).reduce((s, f) => s + fs.statSync(path.join(dir, f)).size, 0);

  const metrics = createMetrics();
  const engine = new StateEngine();
  const first = Date.parse(recorded[0]!.event.eventTime);
  const span = Date.parse(recorded.at(-1)!.event.eventTime) - first + 60_000;
  let pass = 0;
  let cursor = 0;
  let sink = 0;

  const bench = new Bench({ time: 1500, warmupTime: 300 });
  bench
    .add('Arrow write: encode a batch (dictionaries + IPC messages)', () => {
      sink += encoder.encode(blocks[cursor++ % blocks.length]!).length;
    })
    .add('Arrow read: IPC parse + decode a batch to events', () => {
      for (const batch of RecordBatchReader.from(streams[cursor++ % streams.length]!)) sink += decodeBatch(batch).length;
    })
    .add('decode a parsed batch to events', () => {
      sink += decodeBatch(batches[cursor++ % batches.length]!).length;
    })
    .add('stateless pack on recorded events (decoded and enriched before timing)', (() => {
      const enriched = decodeBatch(batches[0]!).map((r) => enrichEvent(r.n, r.event, rules.reference));
      return () => {
        for (let i = 0; i < BLOCK; i++) sink += firedRules(rules, enriched[i]!, metrics).length;
      };
    })())
    .add('read + enrich + stateless pack', () => {
      const events = decodeBatch(batches[cursor++ % batches.length]!);
      for (let i = 0; i < events.length; i++) sink += firedRules(rules, enrichEvent(events[i]!.n, events[i]!.event, rules.reference), metrics).length;
    })
    .add('read + enrich + full pack (state engine, event time moving on)', () => {
      const b = cursor++ % batches.length;
      if (b === 0) pass += 1;
      const events = decodeBatch(batches[b]!);
      for (let i = 0; i < events.length; i++) {
        const enriched = enrichEvent(events[i]!.n, events[i]!.event, rules.reference);
        // Each pass over the 20,000 events moves event time on, so windows fill and expire as live.
        enriched.derived.eventTimeMs += pass * span;
        sink += assessEvent(rules, engine, enriched, metrics).fired.length;
      }
    })
    .add(`readRecording: a ${EVENTS.toLocaleString('en')}-event file, per event`, () => {
      for (const r of readRecording(dir)) sink += r.n;
    });
  await bench.run();
  fs.rmSync(dir, { recursive: true, force: true });
  if (sink === -1) console.log(sink);
  return bench.tasks.map((task) => {
    const medianMs = (task.result as { latency?: { p50?: number } } | undefined)?.latency?.p50 ?? Number.NaN;
    const events = task.name.startsWith('readRecording') ? EVENTS : BLOCK;
    const row: ReplayBenchRow = { task: task.name, usPerEvent: (medianMs * 1000) / events, eventsPerSecond: (events * 1000) / medianMs };
    if (task.name.startsWith('Arrow')) row.mbPerSecond = batchBytes / 1e6 / (medianMs / 1000);
    if (task.name.startsWith('readRecording')) row.mbPerSecond = fileBytes / 1e6 / (medianMs / 1000);
    return row;
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.table((await runReplayBench()).map((r) => ({ task: r.task, 'µs/event (median)': r.usPerEvent.toFixed(3), 'events/s (median)': Math.round(r.eventsPerSecond), 'MB/s': r.mbPerSecond?.toFixed(1) ?? '' })));
}
