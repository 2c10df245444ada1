import fs from 'node:fs';
import path from 'node:path';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Broker, openBroker } from '../../src/broker/broker.ts';
import { alertStreamHash } from '../../src/backtest/alert-hash.ts';
import { startProcessor } from '../../src/processor.ts';
import { readAlerts } from '../../src/store/read-alert-database.ts';
import { acksIn, generated, RULES_DIR, STREAMS_DIR, TestClient, tempDir } from '../helpers.ts';
import { freePort, type NatsServer, startNatsServer } from '../nats-server.ts';
import { until } from './until.ts';

const TRAFFIC = generated(400, { seed: 21, plantRate: 0.08 }).map((g) => g.event);
const FRAME = 20;

/** Sends the traffic in frames and waits for every frame's ack. */
async function send(url: string, traffic: readonly unknown[]): Promise<TestClient> {
  const producer = new TestClient(`${url}/ingest`);
  await producer.opened();
  for (let i = 0; i < traffic.length; i += FRAME) producer.send(JSON.stringify(traffic.slice(i, i + FRAME)));
  await producer.until((m) => acksIn(m).length === Math.ceil(traffic.length / FRAME));
  return producer;
}

let embedded: { hash: string; count: number };

beforeAll(async () => {
  const dataDir = tempDir();
  const processor = await startProcessor({ port: 0, dataDir, rulesDir: RULES_DIR, streamsDir: STREAMS_DIR, watchRules: false, log: () => {} });
  (await send(processor.url, TRAFFIC)).close();
  await processor.close();
  const alerts = readAlerts(path.join(dataDir, 'alerts.db')).map((r) => r.alert);
  embedded = { hash: alertStreamHash(alerts), count: alerts.length };
});

describe('serve --nats: the broker as event and alert log', () => {
  let server: NatsServer;
  beforeAll(async () => {
    server = await startNatsServer();
  });
  afterAll(() => server.stop());

  it('records events on the EVENTS stream before acking, assesses them from it, and stores and pushes the same alerts as the embedded processor', async () => {
    expect(embedded.count).toBeGreaterThan(5);
    const dataDir = tempDir();
    const lines: string[] = [];
    const broker = await openBroker({ url: server.url }, { name: 'test', log: (line) => lines.push(line) });
    const processor = await startProcessor({ port: 0, dataDir, rulesDir: RULES_DIR, streamsDir: STREAMS_DIR, watchRules: false, log: (line) => lines.push(line), broker });
    try {
      const producer = await send(processor.url, TRAFFIC);
      const acks = acksIn(producer.messages);
      expect(acks.reduce((n, a) => n + a.accepted, 0)).toBe(TRAFFIC.length);
      const nc = await connect({ servers: server.url });
      const info = await (await jetstreamManager(nc)).streams.info('EVENTS');
      expect(info.state.messages).toBe(TRAFFIC.length);
      const first = await (await jetstreamManager(nc)).streams.getMessage('EVENTS', { seq: 1 });
      const event = TRAFFIC[0] as { kind: string; post: string; eventId: string };
      expect(first?.subject).toBe(`events.${event.kind}.${event.post}`);
      expect(first?.header?.get('Nats-Msg-Id')).toBe(`${event.post}/${event.eventId}`);
      // The event as the producer sent it, beside the time it was received.
      expect(first?.string()).toMatch(/^\{"receivedAt":"[^"]+","event":\{/);
      expect(first?.json()).toEqual({ receivedAt: expect.any(String), event: TRAFFIC[0] });
      await nc.close();

      const subscriber = new TestClient(`${processor.url}/alerts?since=0`);
      await subscriber.until((m) => m.filter((x) => (x as { type: string }).type === 'alert').length === embedded.count);
      subscriber.close();
      // A resend of a frame is answered duplicate, and raises nothing again.
      producer.send(JSON.stringify(TRAFFIC.slice(0, FRAME)));
      await producer.until((m) => acksIn(m).length === TRAFFIC.length / FRAME + 1);
      expect(acksIn(producer.messages).at(-1)).toMatchObject({ accepted: 0, duplicates: FRAME });
      producer.close();
    } finally {
      await processor.close();
    }
    const stored = readAlerts(path.join(dataDir, 'alerts.db')).map((r) => r.alert);
    expect(stored).toHaveLength(embedded.count);
    expect(alertStreamHash(stored)).toBe(embedded.hash);
  });

  it('sends a message on the stream that is not an event to the dead letters and acknowledges it', async () => {
    const dataDir = tempDir();
    const broker = await openBroker({ url: server.url }, { name: 'test', log: () => {} });
    const processor = await startProcessor({ port: 0, dataDir, rulesDir: RULES_DIR, streamsDir: STREAMS_DIR, watchRules: false, log: () => {}, broker, snapshots: false });
    try {
      const nc = await connect({ servers: server.url });
      const ack = await jetstream(nc).publish('events.crossing.KZ-TEST', JSON.stringify({ receivedAt: new Date().toISOString(), event: { kind: 'crossing', eventId: 'bad-1' } }));
      const letters = path.join(dataDir, 'dead-letters.ndjson');
      await until(() => fs.existsSync(letters) && fs.readFileSync(letters, 'utf8').includes('bad-1'), 'the dead letter', 8_000);
      const letter = JSON.parse(fs.readFileSync(letters, 'utf8').trim().split('\n').at(-1)!) as { connection: string; frame: number; issues: unknown[] };
      expect(letter).toMatchObject({ connection: 'nats EVENTS', frame: ack.seq });
      expect(letter.issues.length).toBeGreaterThan(0);
      const jsm = await jetstreamManager(nc);
      await until(() => broker.status().acknowledged >= ack.seq, 'the acknowledgement', 8_000);
      // The consumer's ack is sent without waiting for the server's reply: the server counts it a moment later.
      await until(async () => (await jsm.consumers.info('EVENTS', broker.consumerName)).num_ack_pending === 0, 'the server to count the acknowledgement', 8_000);
      await nc.close();
    } finally {
      await processor.close();
    }
  });
});

describe('serve --nats when the broker is not there', () => {
  it('fails to start with an error naming the URL', async () => {
    const url = `nats://127.0.0.1:${await freePort()}`;
    await expect(openBroker({ url }, { name: 'test', log: () => {}, connectTimeoutMs: 1_000 } as never)).rejects.toThrow(`cannot connect to the NATS broker at ${url}`);
  });

  it('answers failed while the broker is gone, says so in /health and the log, and accepts again once it is back', async () => {
    const first = await startNatsServer({ storeDir: tempDir('border-risk-nats-') });
    const dataDir = tempDir();
    const lines: string[] = [];
    let broker: Broker | undefined = await openBroker({ url: first.url }, { name: 'test', log: (line) => lines.push(line) });
    const processor = await startProcessor({ port: 0, dataDir, rulesDir: RULES_DIR, streamsDir: STREAMS_DIR, watchRules: false, log: (line) => lines.push(line), broker, snapshots: false });
    let second: NatsServer | undefined;
    try {
      const producer = await send(processor.url, TRAFFIC.slice(0, FRAME));
      await first.stop();
      await until(() => lines.some((l) => l.includes('is lost')), 'the log line', 8_000);
      const health = (await (await fetch(`${processor.url.replace('ws', 'http')}/health`)).json()) as { status: string; broker: { connected: boolean; down: string } };
      expect(health.status).toBe('degraded');
      expect(health.broker).toMatchObject({ connected: false, down: `the connection to the NATS broker at ${first.url} is lost` });
      producer.send(JSON.stringify(TRAFFIC.slice(FRAME, 2 * FRAME)));
      await producer.until((m) => acksIn(m).length === 2);
      expect(acksIn(producer.messages)[1]).toMatchObject({ accepted: 0, failed: FRAME });

      second = await startNatsServer({ port: first.port, storeDir: first.storeDir });
      await until(() => broker!.status().connected, 'the reconnect', 8_000);
      producer.send(JSON.stringify(TRAFFIC.slice(FRAME, 2 * FRAME)));
      await producer.until((m) => acksIn(m).length === 3);
      expect(acksIn(producer.messages)[2]).toMatchObject({ accepted: FRAME, failed: 0 });
      producer.close();
    } finally {
      await processor.close();
      broker = undefined;
      await second?.stop();
      fs.rmSync(first.storeDir, { recursive: true, force: true });
    }
  });
});
