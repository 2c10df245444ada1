import type { ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import type { Alert } from '../../src/alert/alert.ts';
import type { IngestReply } from '../../src/ingest/protocol.ts';
import { generated, rulesWith, TestClient, tempDir } from '../helpers.ts';
import { jsonLines, runFixture, serveInChild } from './fixtures/children.ts';

type AlertMessage = { type: 'alert'; seq: number; alert: Alert };
const alertsIn = (messages: unknown[]): AlertMessage[] => messages.filter((m): m is AlertMessage => (m as AlertMessage).type === 'alert');
const acksIn = (messages: unknown[]): IngestReply[] => messages.filter((m): m is IngestReply => (m as IngestReply).type === 'ack');

const MiB = 1024 * 1024;
/** The defaults of IngestFlow and maxFrameBytes, which the assertions below are stated against. */
const PER_CONNECTION_BYTES = 4 * MiB;
const MAX_FRAME_BYTES = 1 * MiB;
/** Stated bounds for the server process while 135 MB arrive (measured about 300 MB heap, 530 MB RSS at the peak). */
const HEAP_BOUND = 512 * MiB;
const RSS_BOUND = 800 * MiB;

const children: ChildProcess[] = [];
const clients: TestClient[] = [];
afterEach(() => {
  for (const client of clients.splice(0)) client.close();
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

describe('a producer that sends faster than the processor can go', () => {
  it('is slowed by TCP backpressure: the server holds a bounded amount, acks every frame in order, and other clients keep being served', async () => {
    // Without the movement and anomaly rules, state hardly grows with traffic, so what the
    // server holds is mostly what is in flight: the quantity under test.
    const rulesDir = rulesWith({}, ['indicators/anomaly.yaml', 'indicators/crossing-movement.yaml']);
    const server = await serveInChild({ dataDir: tempDir(), rulesDir });
    children.push(server.child);

    const subscriber = new TestClient(`${server.url}/alerts`);
    const steady = new TestClient(`${server.url}/ingest`);
    clients.push(subscriber, steady);
    await Promise.all([subscriber.opened(), steady.opened()]);

    // 160 frames of 1,500 events (about 135 MB), never waiting for acks, not even reading them for the first 3 s.
    const frames = 160;
    const blaster = runFixture('blast.ts', [`${server.url}/ingest`, String(frames), '1500', '3000']);
    children.push(blaster);
    let summary: Record<string, unknown> | undefined;
    let blasterOpen = false;
    const finished = new Promise<void>((resolve, reject) => {
      jsonLines(blaster, (message) => {
        if (message.type === 'open') blasterOpen = true;
        if (message.type === 'error') reject(new Error(String(message.message)));
        if (message.type === 'done') {
          summary = message;
          resolve();
        }
      });
      blaster.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`blaster exited with ${code}`))));
    });
    while (!blasterOpen) await new Promise((resolve) => setTimeout(resolve, 20));

    // Meanwhile: a steady producer sends small frames one at a time, and the server is sampled.
    const side = generated(400, { seed: 77, plantRate: 0.5, idPrefix: 'steady' }).map((g) => g.event);
    const sideIds = new Set(side.map((e) => e.eventId));
    let steadyAcksDuringBlast = 0;
    let sideAlertsDuringBlast = 0;
    let peak = { rss: 0, heapUsed: 0, inFlightBytes: 0, paused: 0 };
    const sampling = (async () => {
      while (summary === undefined) {
        const health = await server.health();
        peak = {
          rss: Math.max(peak.rss, health.memory.rss),
          heapUsed: Math.max(peak.heapUsed, health.memory.heapUsed),
          inFlightBytes: Math.max(peak.inFlightBytes, health.ingestFlow.inFlightBytes),
          paused: Math.max(peak.paused, health.ingestFlow.pausedConnections),
        };
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    for (let i = 0; i < side.length && summary === undefined; i += 5) {
      steady.send(JSON.stringify(side.slice(i, i + 5)));
      await steady.until((m) => acksIn(m).length === i / 5 + 1, 60_000);
      if (summary === undefined) {
        steadyAcksDuringBlast = acksIn(steady.messages).length;
        sideAlertsDuringBlast = alertsIn(subscriber.messages).filter((a) => sideIds.has(a.alert.eventId)).length;
      }
    }
    await finished;
    await sampling;

    expect(summary).toMatchObject({ frames, acks: frames, inOrder: true, events: frames * 1500, accepted: frames * 1500 });
    // The server stopped reading the blaster (backpressure), and never held more than its bound in flight.
    expect(peak.paused).toBeGreaterThan(0);
    expect(peak.inFlightBytes).toBeLessThanOrEqual(PER_CONNECTION_BYTES + MAX_FRAME_BYTES + 64 * 1024);
    expect(peak.heapUsed).toBeLessThan(HEAP_BOUND);
    expect(peak.rss).toBeLessThan(RSS_BOUND);
    // The steady producer and the subscriber were served while the blast went on.
    expect(steadyAcksDuringBlast).toBeGreaterThanOrEqual(5);
    expect(sideAlertsDuringBlast).toBeGreaterThan(0);
    for (const ack of acksIn(steady.messages)) expect(ack.accepted).toBe(ack.results.length);
    console.log(`blast of ${Math.round(Number(summary!.sentBytes) / MiB)} MiB: server peak heap ${Math.round(peak.heapUsed / MiB)} MiB, RSS ${Math.round(peak.rss / MiB)} MiB, in flight ${Math.round(peak.inFlightBytes / 1024)} KiB; steady producer had ${steadyAcksDuringBlast} acks and ${sideAlertsDuringBlast} alerts meanwhile`);
  }, 240_000);
});
