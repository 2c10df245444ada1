/**
 * What storing an alert costs: `node --import tsx bench/alert-store.ts [ALERTS] [PER_TXN]`
 * raises ALERTS alerts with the shipped rules on seeded generated traffic (cached in the
 * temp directory, so that runs compare the same alerts), then stores them in a fresh alert
 * database PER_TXN to a transaction (1: the serving processor at a low alert rate, each
 * turn of the event loop storing one), with the database's default checkpoints. Prints
 * CPU µs per alert (user + system), WAL frames (pages) written per alert, counted in a
 * second pass with automatic checkpoints off (its CPU is shown too: the difference is the
 * checkpoints' share), and bytes of the database per alert. Then, one alert a millisecond (a
 * timer apart: about the most alerts a serving processor raises), how long each store call takes
 * on the storing thread with the checkpoints made there (SQLite's default) and with them made
 * on a thread of their own (`backgroundCheckpoints`, as the serving processor stores), two
 * rounds each, alternating.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Alert } from '../src/alert/alert.ts';
import { runRules } from '../src/backtest/run-rules.ts';
import { generateTraffic } from '../src/generate/traffic.ts';
import { trafficReference } from '../src/generate/traffic-reference.ts';
import type { JournaledEvent } from '../src/journal/record-events.ts';
import { validateEvent } from '../src/model/event.ts';
import { AlertStore } from '../src/store/alert-store.ts';
import { shippedRuleSet } from './fresh-traffic.bench.ts';
import { quantile } from './stats.ts';

const N = Number(process.argv[2] ?? 20_000);
const PER_TXN = Number(process.argv[3] ?? 1);
const cache = path.join(os.tmpdir(), `border-risk-alerts-${N}.json`);

function raise(): Alert[] {
  const rules = shippedRuleSet();
  const traffic = generateTraffic({ seed: 11, plantRate: 0.01, ...trafficReference(rules.lists) });
  const alerts: Alert[] = [];
  function* events(): Iterable<JournaledEvent> {
    for (let n = 1; alerts.length < N; n++) {
      const checked = validateEvent(JSON.parse(JSON.stringify(traffic.next().value.event)) as unknown);
      if (checked.success) yield { n, event: checked.event };
    }
  }
  runRules(rules, events(), (a) => void alerts.push(a));
  return alerts.slice(0, N);
}

if (!fs.existsSync(cache)) fs.writeFileSync(cache, JSON.stringify(raise()));
const alerts = JSON.parse(fs.readFileSync(cache, 'utf8')) as Alert[];

function run(autoCheckpoint: boolean): { cpuUs: number; frames: number; bytes: number } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alert-store-bench-'));
  const file = path.join(dir, 'alerts.db');
  const store = new AlertStore(file);
  if (!autoCheckpoint) store.database.pragma('wal_autocheckpoint = 0');
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < alerts.length; i += PER_TXN) {
    if (PER_TXN === 1) store.append(alerts[i]!);
    else store.appendAll(alerts.slice(i, i + PER_TXN));
  }
  const cpu = process.cpuUsage(cpu0);
  const [wal] = store.database.pragma('wal_checkpoint(PASSIVE)') as { log: number }[];
  store.close();
  const bytes = fs.statSync(file).size;
  fs.rmSync(dir, { recursive: true, force: true });
  return { cpuUs: (cpu.user + cpu.system) / alerts.length, frames: (wal?.log ?? 0) / alerts.length, bytes: bytes / alerts.length };
}

/** Wall time of each `append` on this thread, ms, sorted. */
async function appendTimes(backgroundCheckpoints: boolean): Promise<number[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alert-store-bench-'));
  const store = new AlertStore(path.join(dir, 'alerts.db'), { backgroundCheckpoints });
  const times: number[] = [];
  for (const alert of alerts) {
    await new Promise((resolve) => setTimeout(resolve, 1));
    const t0 = performance.now();
    store.append(alert);
    times.push(performance.now() - t0);
  }
  store.close();
  fs.rmSync(dir, { recursive: true, force: true });
  return times.sort((a, b) => a - b);
}

const sizes = alerts.map((a) => JSON.stringify(a).length).sort((a, b) => a - b);
const timed = run(true);
const counted = run(false);
console.log(
  `${alerts.length} alerts, ${PER_TXN} per transaction: ${timed.cpuUs.toFixed(1)} µs CPU per alert (${counted.cpuUs.toFixed(1)} without checkpoints), ${counted.frames.toFixed(1)} pages written per alert (WAL frames), ${Math.round(timed.bytes)} database bytes per alert; alert JSON median ${sizes[sizes.length >> 1]} B, p90 ${sizes[Math.floor(sizes.length * 0.9)]} B`,
);
for (let round = 0; round < 4; round++) {
  const background = round % 2 === 1;
  const t = await appendTimes(background);
  const at = (q: number): string => quantile(t, q).toFixed(2);
  console.log(`checkpoints ${background ? 'on a thread of their own' : 'on the storing thread'}: append p50 ${at(0.5)} ms, p99 ${at(0.99)}, p99.9 ${at(0.999)}, max ${t.at(-1)!.toFixed(2)}; ${t.reduce((a, b) => a + b, 0).toFixed(0)} ms on the storing thread`);
}
