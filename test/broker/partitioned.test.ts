import path from 'node:path';
import type { Alert } from '../../src/alert/alert.ts';
import { afterEach, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { openBroker } from '../../src/broker/broker.ts';
import { alertStreamHash } from '../../src/backtest/alert-hash.ts';
import { enrichEvent } from '../../src/enrich/enrich.ts';
import { ownerOfEvent } from '../../src/indicators/partition.ts';
import { type Processor, startProcessor } from '../../src/processor.ts';
import { readAlerts } from '../../src/store/read-alert-database.ts';
import { acksIn, generated, RULES_DIR, STREAMS_DIR, serveInChild, shippedRules, TestClient, tempDir } from '../helpers.ts';
import { type NatsServer, startNatsServer } from '../nats-server.ts';
import { until } from './until.ts';

const TRAFFIC = generated(400, { seed: 23, plantRate: 0.1 }).map((g) => g.event);
const FRAME = 20;

async function sendAll(url: string, traffic: readonly unknown[], between?: (frame: number) => Promise<void>): Promise<void> {
  const producer = new TestClient(`${url}/ingest`);
  await producer.opened();
  for (let i = 0, frame = 0; i < traffic.length; i += FRAME, frame++) {
    producer.send(JSON.stringify(traffic.slice(i, i + FRAME)));
    await between?.(frame);
  }
  await producer.until((m) => acksIn(m).length === Math.ceil(traffic.length / FRAME), 20_000);
  expect(acksIn(producer.messages).reduce((n, a) => n + a.accepted, 0)).toBe(traffic.length);
  producer.close();
}

const alertsOf = (dataDir: string) => readAlerts(path.join(dataDir, 'alerts.db')).map((r) => r.alert);

/** The same alerts as the single process raised, in order; a difference is named by alert and field, not only by the hash. */
function expectSameAlerts(alerts: readonly Alert[]): void {
  expect(alerts.map((a) => a.alertId)).toEqual(single.ids);
  if (alertStreamHash(alerts) === single.hash) return;
  const differences = alerts.flatMap((alert, i) => {
    const want = single.alerts[i] as unknown as Record<string, unknown>;
    const got = alert as unknown as Record<string, unknown>;
    return [...new Set([...Object.keys(got), ...Object.keys(want)])].filter((k) => JSON.stringify(got[k]) !== JSON.stringify(want[k])).map((k) => `${alert.alertId}.${k}: ${JSON.stringify(got[k])} instead of ${JSON.stringify(want[k])}`);
  });
  expect(differences.slice(0, 5)).toEqual([]);
  expect(alertStreamHash(alerts)).toBe(single.hash);
}

let single: { hash: string; count: number; ids: string[]; alerts: Alert[] };
beforeAll(async () => {
  const dataDir = tempDir();
  const processor = await startProcessor({ port: 0, dataDir, rulesDir: RULES_DIR, streamsDir: STREAMS_DIR, watchRules: false, log: () => {} });
  await sendAll(processor.url, TRAFFIC);
  await processor.close();
  const alerts = alertsOf(dataDir);
  single = { hash: alertStreamHash(alerts), count: alerts.length, ids: alerts.map((a) => a.alertId), alerts };
});

describe('partitioned processors (--nats-instance K/N)', () => {
  let server: NatsServer;
  const open: Processor[] = [];
  afterEach(async () => {
    for (const p of open.splice(0)) await p.close();
    await server.stop();
  });

  /** The in-process instances' log lines (a consumer that stalled, a gap read again), printed when a test fails. */
  const lines: string[] = [];
  async function instance(index: number, count: number, dataDir = tempDir()): Promise<{ processor: Processor; dataDir: string }> {
    if (open.length === 0) {
      lines.length = 0;
      onTestFailed(() => console.error(`the in-process instances logged:\n${lines.join('\n')}`));
    }
    const log = (line: string) => lines.push(`[${index}/${count}] ${line}`);
    const broker = await openBroker({ url: server.url, instance: { index, count } }, { name: `test ${index}/${count}`, log });
    const processor = await startProcessor({ port: 0, dataDir, rulesDir: RULES_DIR, streamsDir: STREAMS_DIR, watchRules: false, log, broker });
    open.push(processor);
    return { processor, dataDir };
  }

  it('two instances raise exactly the alerts of one process, stateful rules of the second among them', async () => {
    server = await startNatsServer();
    const first = await instance(0, 2);
    const second = await instance(1, 2);
    // The events come in through the second instance's gateway; the first joins and raises.
    await sendAll(second.processor.url, TRAFFIC);
    await until(() => alertsOf(first.dataDir).length >= single.count, `${single.count} alerts`);
    const alerts = alertsOf(first.dataDir);
    expect(alertStreamHash(alerts)).toBe(single.hash);
    // Both instances' hubs store the same feed.
    await until(() => alertsOf(second.dataDir).length >= single.count, 'the second hub');
    expect(alertStreamHash(alertsOf(second.dataDir))).toBe(single.hash);
    // Instance 0 does not evaluate these stateful hits: they reached it from instance 1.
    const rules = shippedRules();
    const fromSecond = alerts.filter((a) => a.trigger === 'event').flatMap((a) => {
      const enriched = enrichEvent(a.journalRecord, a.event, rules.reference);
      return a.indicators.map((i) => rules.rules.find((r) => r.def.id === i.id)).filter((r) => r?.stateful && ownerOfEvent(r, enriched, 2) === 1);
    });
    expect(fromSecond.length).toBeGreaterThan(0);
  });

  it('loses and duplicates nothing when an instance is killed with SIGKILL under traffic and started again', { timeout: 45_000 }, async () => {
    server = await startNatsServer();
    const first = await instance(0, 2);
    const childDir = tempDir();
    let child = await serveInChild(childDir, ['--nats', server.url, '--nats-instance', '1/2', '--snapshot-every', '100']);
    onTestFailed(() => console.error(`instance 1/2 (the last child) printed:\n${child.output()}`));
    await sendAll(first.processor.url, TRAFFIC, async (frame) => {
      if (frame !== 6) return;
      child.child.kill('SIGKILL');
      await new Promise((resolve) => child.child.once('exit', resolve));
      child = await serveInChild(childDir, ['--nats', server.url, '--nats-instance', '1/2', '--snapshot-every', '100']);
    });
    try {
      // The restarted instance starts a process and catches up first: on a loaded machine that takes a while.
      await until(() => alertsOf(first.dataDir).length >= single.count, `${single.count} alerts`, 25_000);
      expectSameAlerts(alertsOf(first.dataDir));
    } finally {
      child.child.kill('SIGKILL');
    }
  });

  it('resumes the joining instance 0 from its snapshot and the stream when it is killed with SIGKILL under traffic', { timeout: 120_000 }, async () => {
    server = await startNatsServer();
    const second = await instance(1, 2);
    const firstDir = tempDir();
    const args = ['--nats', server.url, '--nats-instance', '0/2', '--snapshot-every', '100'];
    let first = await serveInChild(firstDir, args);
    onTestFailed(() => console.error(`instance 0/2 (the last child) printed:\n${first.output()}`));
    let restarted = false;
    // The events come in through the second instance's gateway, which goes on taking them while instance 0 is down.
    await sendAll(second.processor.url, TRAFFIC, async (frame) => {
      if (frame !== 8) return;
      // Killed once it has assessed and snapshotted some of the stream, in the middle of the traffic.
      await until(() => /snapshot of state at journal record/.test(first.output()), 'a snapshot of instance 0', 60_000);
      first.child.kill('SIGKILL');
      await new Promise((resolve) => first.child.once('exit', resolve));
      first = await serveInChild(firstDir, args);
      restarted = true;
    });
    try {
      expect(restarted).toBe(true);
      // The restarted instance starts a process and catches up first: on a loaded machine that takes a while.
      await until(() => alertsOf(second.dataDir).length >= single.count, `${single.count} alerts`, 60_000);
      expectSameAlerts(alertsOf(second.dataDir));
      expect(first.output()).toMatch(/recovered state from snapshot at stream sequence \d+/);
    } finally {
      first.child.kill('SIGKILL');
    }
  });
});
