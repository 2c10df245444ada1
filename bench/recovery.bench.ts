/**
 * Crash recovery: how long a restart takes from a state snapshot plus the journal after
 * it, against a replay of the whole journal, for 200,000 journaled events; and what a
 * snapshot of 100,000 documents in state costs to write (time holding up events, total
 * time, size, the longest event-loop stall while it is written).
 *
 *   node --import tsx bench/recovery.bench.ts [--quick]
 *
 * Inputs: the rule benchmark's traffic (crossings reusing 100,000 documents, seeded),
 * journaled before timing. Each restart runs on a fresh copy of the same data directory,
 * so every run does the same work; figures are medians of the runs.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { enrichEvent } from '../src/enrich/enrich.ts';
import { assessEvent } from '../src/indicators/evaluate-indicators.ts';
import { StateEngine } from '../src/indicators/state-engine.ts';
import { Journal } from '../src/journal/journal.ts';
import { createMetrics } from '../src/kernel/metrics.ts';
import { captureEngine } from '../src/pipeline/pipeline.ts';
import { startProcessor } from '../src/processor.ts';
import { SNAPSHOT_DIR, writeSnapshot } from '../src/recovery/snapshot-file.ts';
import { loadRuleSet } from '../src/rules/rule-set.ts';
import { manyDocumentEvents } from './rules.bench.ts';
import { machine } from './stats.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const quick = process.argv.includes('--quick');
const EVENTS = quick ? 40_000 : 200_000;
/** Events journaled after the snapshot: what a crash leaves to replay. */
const TAIL = quick ? 2_000 : 10_000;
const RUNS = quick ? 1 : 3;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
const ms = (x: number): string => `${Math.round(x).toLocaleString('en')} ms`;

const rules = loadRuleSet({ rulesDir: path.join(ROOT, 'rules'), streamsDir: path.join(ROOT, 'streams') });
const options = { port: 0, rulesDir: path.join(ROOT, 'rules'), streamsDir: path.join(ROOT, 'streams'), watchRules: false, fsync: false, snapshotEveryEvents: 0, snapshotEveryMs: 0, log: () => {} };
console.log(`machine: ${machine()}; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
console.log(`building ${EVENTS.toLocaleString('en')} events...`);
const events = manyDocumentEvents(rules, EVENTS);

// The data directory a crash leaves: a snapshot at EVENTS - TAIL, the journal running on to EVENTS.
const base = fs.mkdtempSync(path.join(os.tmpdir(), 'recovery-bench-'));
const journal = Journal.open(base, { fsync: false });
for (const event of events.slice(0, EVENTS - TAIL)) journal.append(event, '2026-11-02T00:00:00.000Z');
await journal.close();
const first = await startProcessor({ ...options, dataDir: base });
await first.close();
const tail = Journal.open(base, { fsync: false });
for (const event of events.slice(EVENTS - TAIL)) tail.append(event, '2026-11-02T00:00:00.000Z');
await tail.close();
const journalBytes = fs.statSync(path.join(base, 'journal.ndjson')).size;
const snapshotBytes = fs.readdirSync(path.join(base, SNAPSHOT_DIR)).reduce((sum, f) => sum + fs.statSync(path.join(base, SNAPSHOT_DIR, f)).size, 0);

async function restart(snapshots: boolean): Promise<{ wallMs: number; recoveryMs: number; snapshotMs: number; replayed: number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recovery-run-'));
  fs.cpSync(base, dir, { recursive: true });
  const started = performance.now();
  const processor = await startProcessor({ ...options, dataDir: dir, snapshots });
  const wallMs = performance.now() - started;
  const { recovery } = processor;
  await processor.close();
  fs.rmSync(dir, { recursive: true, force: true });
  return { wallMs, recoveryMs: recovery.ms, snapshotMs: recovery.snapshotMs, replayed: recovery.replayed };
}

const withSnapshot = [];
const fullReplay = [];
const journalOpen = [];
for (let run = 0; run < RUNS; run++) {
  withSnapshot.push(await restart(true));
  fullReplay.push(await restart(false));
  const started = performance.now();
  await Journal.open(base, { fsync: false }).close();
  journalOpen.push(performance.now() - started);
}

// A snapshot of the state engine holding 100,000 documents (the rule benchmark's stream), written as the processor writes it.
const engine = new StateEngine();
const metrics = createMetrics();
events.forEach((event, i) => {
  assessEvent(rules, engine, enrichEvent(i + 1, event, rules.reference), metrics);
});
const keys = engine.keyCounts();
const writes = [];
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'snapshot-write-'));
for (let run = 0; run < RUNS + 2; run++) {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  const started = performance.now();
  // As the processor does: what is copied at once holds events up; the key tables are read while they go on.
  const capture = captureEngine(engine, { record: EVENTS, eventId: events.at(-1)!.eventId, grouping: null });
  const captureMs = performance.now() - started;
  delay.enable();
  const written = await writeSnapshot(dir, capture, { ruleSetVersion: rules.version, fsync: true });
  delay.disable();
  writes.push({ captureMs, totalMs: performance.now() - started, bytes: written.bytes, heldEvents: capture.events().length, maxStallMs: delay.max / 1e6 });
  capture.release();
}

console.log(`\n${EVENTS.toLocaleString('en')} journaled events (${(journalBytes / 1e6).toFixed(0)} MB journal), snapshot at ${(EVENTS - TAIL).toLocaleString('en')} (${(snapshotBytes / 1e6).toFixed(1)} MB), ${RUNS} run(s), medians:`);
console.log('| restart | startProcessor | recovery | of it: snapshot load + restore | records replayed |');
console.log('|---|---|---|---|---|');
for (const [name, runs] of [['snapshot + journal tail', withSnapshot], ['whole journal (--no-snapshots)', fullReplay]] as const) {
  console.log(`| ${name} | ${ms(median(runs.map((r) => r.wallMs)))} | ${ms(median(runs.map((r) => r.recoveryMs)))} | ${ms(median(runs.map((r) => r.snapshotMs)))} | ${runs[0]!.replayed.toLocaleString('en')} |`);
}
console.log(`Journal.open (reads every record for the duplicate index), part of both: ${ms(median(journalOpen))}`);
console.log(`\nsnapshot write, state after ${EVENTS.toLocaleString('en')} events: keys held ${JSON.stringify(keys)}`);
console.log('| capture start (holds up events) | total write (temp, fsync, rename) | size | events held in state | longest event-loop stall while writing |');
console.log('|---|---|---|---|---|');
console.log(`| ${ms(median(writes.map((w) => w.captureMs)))} | ${ms(median(writes.map((w) => w.totalMs)))} | ${(median(writes.map((w) => w.bytes)) / 1e6).toFixed(1)} MB | ${writes[0]!.heldEvents.toLocaleString('en')} | ${ms(median(writes.map((w) => w.maxStallMs)))} |`);
fs.rmSync(base, { recursive: true, force: true });
fs.rmSync(dir, { recursive: true, force: true });
