/**
 * What handing validated events to a second thread would cost, before anyone splits the
 * processor in two (ingest on one thread, assessment on the other): frames of 100 seeded
 * events posted to a worker thread, three ways. Prints, per event, the sender's time in
 * `postMessage` (serialising) and the worker's time from the first message's arrival to
 * the last one handled (deserialising, and parsing where strings are sent; the messages
 * are all queued before it starts, so it never waits), medians of several rounds. Node 20
 * has no per-thread CPU clock, so these are wall times: run it on a quiet machine.
 *
 *   node --import tsx bench/worker-transfer.ts [--events 20000] [--rounds 5]
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { loadLists } from '../src/enrich/lists.ts';
import { trafficReference } from '../src/generate/traffic-reference.ts';
import { generateTraffic } from '../src/generate/traffic.ts';
import { validateEvent } from '../src/model/event.ts';
import { intOption } from './fresh-traffic.bench.ts';

const FRAME = 100;

/** The receiving side: counts what arrives and, for strings, parses them as the assessment thread would have to. */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const gate = new Int32Array(workerData);
let first, last, seen = 0;
parentPort.on('message', (m) => {
  if (m === 'report') { parentPort.postMessage(last - first); return; }
  // Wait here until every message of the round is queued, so that the clock never runs while the worker waits for the sender.
  if (m === 'start') { Atomics.wait(gate, 0, 0); Atomics.store(gate, 0, 0); first = performance.now(); return; }
  if (typeof m === 'string') seen += JSON.parse('[' + m + ']').length;
  else for (const e of m) seen += typeof e === 'string' ? JSON.parse(e).n > 0 : 1;
  last = performance.now();
});
`;

interface Way {
  name: string;
  /** What is posted for one frame of validated events. */
  message(events: readonly unknown[], first: number): unknown;
}

const WAYS: Way[] = [
  { name: 'event objects (structured clone)', message: (events) => events },
  { name: 'journal lines, one string each (worker parses)', message: (events, first) => events.map((event, i) => JSON.stringify({ n: first + i, receivedAt: '2026-12-07T00:00:00.000Z', event })) },
  { name: "the frame's journal lines as one string (worker parses)", message: (events, first) => events.map((event, i) => JSON.stringify({ n: first + i, receivedAt: '2026-12-07T00:00:00.000Z', event })).join(',') },
];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function main(): Promise<void> {
  const count = intOption('events', 20_000);
  const rounds = intOption('rounds', 5);
  const lists = loadLists(path.resolve(import.meta.dirname, '..', 'rules', 'lists'));
  const traffic = generateTraffic({ seed: 5, idPrefix: 'transfer', plantRate: 0.01, ...trafficReference(lists) });
  const events = Array.from({ length: count }, () => {
    const result = validateEvent(JSON.parse(JSON.stringify(traffic.next().value.event)));
    if (!result.success) throw new Error('a generated event did not validate');
    return result.event;
  });
  const gate = new SharedArrayBuffer(4);
  const worker = new Worker(WORKER, { eval: true, workerData: gate });
  const report = (): Promise<number> =>
    new Promise((resolve) => {
      worker.once('message', (ms: number) => resolve(ms));
      worker.postMessage('report');
    });
  const rows: Record<string, string | number>[] = [];
  for (const way of WAYS) {
    const sender: number[] = [];
    const receiver: number[] = [];
    for (let round = 0; round < rounds; round++) {
      // The message is built outside the timed part when it is what ingest has already made (the journal lines).
      const messages = [];
      for (let i = 0; i < events.length; i += FRAME) messages.push(way.message(events.slice(i, i + FRAME), i + 1));
      worker.postMessage('start');
      const start = performance.now();
      for (const message of messages) worker.postMessage(message);
      sender.push(((performance.now() - start) * 1000) / events.length);
      Atomics.store(new Int32Array(gate), 0, 1);
      Atomics.notify(new Int32Array(gate), 0);
      receiver.push(((await report()) * 1000) / events.length);
    }
    rows.push({ way: way.name, 'sender µs/event (median)': median(sender).toFixed(2), 'worker µs/event (median)': median(receiver).toFixed(2) });
  }
  await worker.terminate();
  console.table(rows);
}

if (process.argv[1] === import.meta.filename) await main();
