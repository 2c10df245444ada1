/**
 * The processor's own cost per event, without the sockets: the pipeline as `serve` builds
 * it (file journal with fsync, dead letters, the SQLite alert store, the shipped rules, one
 * sink that reads each alert's wire message) fed frames of seeded traffic through an
 * `IngestSession`, as the WebSocket adapter feeds it, with at most 64 frames unanswered
 * (the server's flow-control bound). Prints the CPU time per event of this process (every
 * thread: journal syncs, the garbage collector) and events/s, for one event per frame and
 * for 100, after a warm-up of 5,000 events in frames of 100 (not counted) so that neither
 * row pays for compiling the code; CPU time moves less than wall time on a shared machine,
 * so compare it, and compare runs made side by side.
 *
 * `--ingest-only` leaves the assessment out (the pipeline as `serve --nats` runs its
 * gateway: parse, validate, journal with fsync, answer), to see the ingest path's own cost.
 *
 *   node --import tsx bench/ingest-path.ts [--single 20000] [--batched 100000] [--ingest-only] [--profile FILE.cpuprofile]
 */
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import os from 'node:os';
import path from 'node:path';
import { trafficReference } from '../src/generate/traffic-reference.ts';
import { generateTraffic } from '../src/generate/traffic.ts';
import { StateEngine } from '../src/indicators/state-engine.ts';
import { IngestSession } from '../src/ingest/ingest-session.ts';
import { DeadLetters } from '../src/journal/dead-letters.ts';
import { Journal } from '../src/journal/journal.ts';
import { createMetrics } from '../src/kernel/metrics.ts';
import { startPipeline } from '../src/pipeline/pipeline.ts';
import { AlertStore } from '../src/store/alert-store.ts';
import { intOption, shippedRuleSet } from './fresh-traffic.bench.ts';
import { machine } from './stats.ts';

const MAX_IN_FLIGHT = 64;
const WARM_UP = 5_000;

interface PhaseResult {
  phase: string;
  events: number;
  'events/s': number;
  'CPU µs/event': number;
  alerts: number;
}

async function main(): Promise<void> {
  const single = intOption('single', 20_000);
  const batched = intOption('batched', 100_000);
  const profileAt = process.argv.indexOf('--profile');
  const profileTo = profileAt < 0 ? undefined : process.argv[profileAt + 1];
  const ingestOnly = process.argv.includes('--ingest-only');
  const rules = shippedRuleSet();
  const traffic = generateTraffic({ seed: 2, idPrefix: 'path', plantRate: 0.01, ...trafficReference(rules.lists) });
  const events = Array.from({ length: WARM_UP + single + batched }, () => JSON.stringify(traffic.next().value.event));
  const framesOf = (from: number, to: number): string[] => {
    const frames: string[] = [];
    for (let i = from; i < to; i += 100) frames.push(`[${events.slice(i, Math.min(to, i + 100)).join(',')}]`);
    return frames;
  };
  const frames = { warmUp: framesOf(0, WARM_UP), single: events.slice(WARM_UP, WARM_UP + single), batched: framesOf(WARM_UP + single, events.length) };

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ingest-path-'));
  const journal = Journal.open(dir);
  const deadLetters = new DeadLetters(dir);
  const store = new AlertStore(path.join(dir, 'alerts.db'));
  let wire = 0;
  const faults: string[] = [];
  const pipeline = startPipeline({
    journal,
    deadLetters,
    store,
    ruleSet: () => rules,
    engine: new StateEngine(),
    assessIngested: !ingestOnly,
    sinks: [{ publish: (stored) => void (wire += stored.message.length) }],
    metrics: createMetrics(),
    onFault: (stage, error) => void faults.push(`${stage}: ${error.message}`),
  });

  /** Sends the frames with at most MAX_IN_FLIGHT unanswered; resolves once every one is answered. */
  const run = (texts: readonly string[]): Promise<void> =>
    new Promise((resolve) => {
      let sent = 0;
      let answered = 0;
      const session = new IngestSession({
        connection: 'bench',
        ingest: pipeline.ingest,
        deliver: () => {
          answered += 1;
          if (answered === texts.length) resolve();
          else if (sent < texts.length) session.receive(texts[sent++]!);
        },
      });
      while (sent < Math.min(MAX_IN_FLIGHT, texts.length)) session.receive(texts[sent++]!);
    });

  await run(frames.warmUp);
  let profiler: Session | undefined;
  if (profileTo !== undefined) {
    profiler = new Session();
    profiler.connect();
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.setSamplingInterval', { interval: 500 });
    await profiler.post('Profiler.start');
  }
  const rows: PhaseResult[] = [];
  for (const [phase, texts, count] of [['1 event per frame', frames.single, single], ['100 events per frame', frames.batched, batched]] as const) {
    const alertsBefore = store.lastSeq;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await run(texts);
    // The last turn's alerts are stored at its end.
    await new Promise((resolve) => setImmediate(resolve));
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    rows.push({ phase, events: count, 'events/s': Math.round(count / seconds), 'CPU µs/event': Math.round(((cpu.user + cpu.system) / count) * 10) / 10, alerts: store.lastSeq - alertsBefore });
  }
  if (profiler && profileTo !== undefined) {
    const { profile } = await profiler.post('Profiler.stop');
    fs.writeFileSync(profileTo, JSON.stringify(profile));
    profiler.disconnect();
  }
  pipeline.stop();
  await journal.close();
  await deadLetters.close();
  store.close();
  fs.rmSync(dir, { recursive: true, force: true });
  console.log(`machine: ${machine()}; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}${ingestOnly ? '; ingest only (no assessment)' : ''}`);
  console.table(rows);
  if (faults.length > 0) console.log(`faults: ${faults.slice(0, 5).join('; ')}`);
  if (wire === 0 && !ingestOnly) console.log('no alert reached the sink');
}

if (process.argv[1] === import.meta.filename) await main();
