/**
 * Broker mode end to end (docs/scale-out.md): a real nats-server with JetStream, events
 * published to the EVENTS stream as the /ingest gateway publishes them (publish-ack
 * latency measured here, p50/p99), then processor instances (`border-risk serve --nats`,
 * each a process of its own) assessing the whole stream: one instance, then two
 * (`--nats-instance 0/2` and `1/2`) on the same stream, side by side. Events/s is the rate
 * at which instance 0's durable consumer acknowledged events (rules, join, alerts
 * acknowledged by the ALERTS stream), from its first acknowledgement to its last.
 *
 *   npm run bench:broker [-- --events 20000 --rounds 3]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { ensureStreams, eventMessageId, eventSubject } from '../src/broker/streams.ts';
import { generateTraffic } from '../src/generate/traffic.ts';
import { trafficReference } from '../src/generate/traffic-reference.ts';
import { loadLists } from '../src/enrich/lists.ts';
import { startNatsServer } from '../test/nats-server.ts';
import { tempDir } from '../test/helpers.ts';
import { machine, procCpuMs, quantile } from './stats.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const { values } = parseArgs({ options: { events: { type: 'string', default: '20000' }, rounds: { type: 'string', default: '3' }, seed: { type: 'string', default: '7' } } });
const EVENTS = Number(values.events);
const ROUNDS = Number(values.rounds);

// Inputs first, outside anything timed.
const traffic = generateTraffic({ ...trafficReference(loadLists(path.join(ROOT, 'rules', 'lists'))), seed: Number(values.seed) });
const events = Array.from({ length: EVENTS }, () => traffic.next().value.event);

const server = await startNatsServer();
const nc = await connect({ servers: server.url });
const js = jetstream(nc);
const jsm = await jetstreamManager(nc);

/** Starts the instances' streams and fills EVENTS, as the gateway publishes: a window of publishes in flight, each timed to its ack. */
async function fill(): Promise<{ seconds: number; latencies: number[] }> {
  await ensureStreams(jsm);
  const latencies: number[] = [];
  const started = performance.now();
  const WINDOW = 256;
  for (let i = 0; i < events.length; i += WINDOW) {
    await Promise.all(
      events.slice(i, i + WINDOW).map(async (event) => {
        const t = performance.now();
        await js.publish(eventSubject(event), JSON.stringify({ receivedAt: new Date().toISOString(), event }), { msgID: eventMessageId(event) });
        latencies.push(performance.now() - t);
      }),
    );
  }
  return { seconds: (performance.now() - started) / 1000, latencies: latencies.sort((a, b) => a - b) };
}

function serve(index: number, count: number): { child: ChildProcess; exited: Promise<void> } {
  const child = spawn(process.execPath, ['bin/border-risk.js', 'serve', '--port', '0', '--data-dir', tempDir('border-risk-bench-'), '--quiet', '--stats-every', '0', '--no-watch', '--nats', server.url, '--nats-instance', `${index}/${count}`], { cwd: ROOT, stdio: 'ignore' });
  return { child, exited: new Promise((resolve) => child.once('exit', () => resolve())) };
}

/** CPU time (user + system) a process has used so far, in ms, from /proc (Linux). */
function cpuMs(pid: number | undefined): number {
  return pid === undefined ? Number.NaN : procCpuMs(`/proc/${pid}/stat`);
}

interface Run {
  eventsPerSecond: number;
  /** CPU µs per event of each instance, and of nats-server, between the first and the last acknowledgement. */
  instanceCpuUs: number[];
  natsCpuUs: number;
}

/** Runs `count` instances until instance 0 acknowledged `upTo` events; the events/s between its first and last acknowledgement. */
async function runInstances(count: number, upTo: number): Promise<Run> {
  const consumer = `processor-0-of-${count}`;
  await jsm.consumers.delete('EVENTS', consumer).catch(() => undefined);
  const children = Array.from({ length: count }, (_, i) => serve(i, count));
  let first: { at: number; floor: number; cpu: number[]; nats: number } | undefined;
  const run: Run = { eventsPerSecond: 0, instanceCpuUs: [], natsCpuUs: 0 };
  try {
    for (;;) {
      const info = await jsm.consumers.info('EVENTS', consumer).catch(() => undefined);
      const floor = info?.ack_floor.stream_seq ?? 0;
      const now = performance.now();
      if (floor > 0 && first === undefined) first = { at: now, floor, cpu: children.map(({ child }) => cpuMs(child.pid)), nats: cpuMs(server.pid) };
      if (floor >= upTo) {
        if (first && floor > first.floor) {
          const events = floor - first.floor;
          run.eventsPerSecond = events / ((now - first.at) / 1000);
          run.instanceCpuUs = children.map(({ child }, i) => ((cpuMs(child.pid) - first!.cpu[i]!) * 1000) / events);
          run.natsCpuUs = ((cpuMs(server.pid) - first.nats) * 1000) / events;
        }
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    for (const { child, exited } of children) {
      child.kill('SIGTERM');
      await exited;
    }
    await jsm.consumers.delete('EVENTS', consumer).catch(() => undefined);
  }
  return run;
}

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

console.log(`broker bench: ${EVENTS} events (seed ${values.seed}), ${ROUNDS} round(s); ${machine()}; nats-server ${server.url}`);
const filled = await fill();
console.log(`publish to EVENTS: ${Math.round(EVENTS / filled.seconds)} events/s with 256 in flight; publish-ack latency p50 ${quantile(filled.latencies, 0.5).toFixed(2)} ms, p99 ${quantile(filled.latencies, 0.99).toFixed(2)} ms`);
const one: Run[] = [];
const two: Run[] = [];
const cpu = (r: Run): string => `${r.instanceCpuUs.map((us) => us.toFixed(0)).join(' + ')} µs/event, nats-server ${r.natsCpuUs.toFixed(0)} µs/event`;
for (let round = 1; round <= ROUNDS; round++) {
  one.push(await runInstances(1, EVENTS));
  two.push(await runInstances(2, EVENTS));
  console.log(`round ${round}: 1 instance ${Math.round(one.at(-1)!.eventsPerSecond)} events/s (${cpu(one.at(-1)!)}); 2 instances ${Math.round(two.at(-1)!.eventsPerSecond)} events/s (${cpu(two.at(-1)!)})`);
}
const rate = (runs: Run[]): number => median(runs.map((r) => r.eventsPerSecond));
const perInstance = (runs: Run[], i: number): number => median(runs.map((r) => r.instanceCpuUs[i]!));
console.log('');
console.log('| instances | events/s (median) | ratio to 1 | CPU µs/event per instance (median) | nats-server CPU µs/event (median) |');
console.log('|---|---|---|---|---|');
console.log(`| 1 | ${Math.round(rate(one))} | 1.00 | ${perInstance(one, 0).toFixed(0)} | ${median(one.map((r) => r.natsCpuUs)).toFixed(0)} |`);
console.log(`| 2 | ${Math.round(rate(two))} | ${(rate(two) / rate(one)).toFixed(2)} | ${perInstance(two, 0).toFixed(0)} (instance 0) + ${perInstance(two, 1).toFixed(0)} (instance 1) | ${median(two.map((r) => r.natsCpuUs)).toFixed(0)} |`);
await nc.close();
await server.stop();
