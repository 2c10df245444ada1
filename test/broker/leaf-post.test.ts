import path from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { afterEach, describe, expect, it } from 'vitest';
import { openBroker } from '../../src/broker/broker.ts';
import { alertStreamHash } from '../../src/backtest/alert-hash.ts';
import { type Processor, startProcessor } from '../../src/processor.ts';
import { readAlerts } from '../../src/store/alert-store.ts';
import { acksIn, generated, RULES_DIR, STREAMS_DIR, TestClient, tempDir } from '../helpers.ts';
import { type NatsServer, startNatsServer } from '../nats-server.ts';
import { startTcpProxy, type TcpProxy } from '../tcp-proxy.ts';

const TRAFFIC = generated(300, { seed: 29, plantRate: 0.08 }).map((g) => g.event);
const FRAME = 20;
/** What the post's leaf link may not carry: only the centre's sourcing moves events (deploy/nats/post.conf). */
const LOCAL_SUBJECTS = ['events.>', 'alerts.>', 'hits.>'];

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function send(producer: TestClient, events: readonly unknown[]): Promise<void> {
  const before = acksIn(producer.messages).length;
  for (let i = 0; i < events.length; i += FRAME) producer.send(JSON.stringify(events.slice(i, i + FRAME)));
  await producer.until((m) => acksIn(m).length === before + Math.ceil(events.length / FRAME));
  expect(acksIn(producer.messages).slice(before).reduce((n, a) => n + a.accepted, 0)).toBe(events.length);
}

const alertsOf = (dataDir: string) => readAlerts(path.join(dataDir, 'alerts.db')).map((r) => r.alert);

describe('a border post as a leaf node with its own JetStream domain', () => {
  const servers: NatsServer[] = [];
  const processors: Processor[] = [];
  let proxy: TcpProxy | undefined;
  afterEach(async () => {
    for (const p of processors.splice(0)) await p.close();
    await proxy?.close();
    for (const s of servers.splice(0)) await s.stop();
  });

  /** Waits until the centre assessed every event and its hub stored every alert it raised. */
  async function settled(centreDir: string): Promise<void> {
    const centre = processors[0]!;
    await until(() => centre.metrics.processed >= TRAFFIC.length, 'the centre to assess every event');
    await until(() => alertsOf(centreDir).length === centre.metrics.alerts, 'the hub to store every alert');
  }

  /** A centre sourcing post1's EVENTS, and post1's leaf node linked to it through a proxy; the post runs its own gateway. */
  async function topology(): Promise<{ centreDir: string; post: Processor; centreEvents: () => Promise<number> }> {
    const centre = await startNatsServer({ domain: 'centre', acceptLeafs: true });
    servers.push(centre);
    proxy = await startTcpProxy(centre.leafPort!);
    const leaf = await startNatsServer({ domain: 'post1', leafRemotes: [`nats-leaf://127.0.0.1:${proxy.port}`], leafDeny: LOCAL_SUBJECTS });
    servers.push(leaf);
    const centreDir = tempDir();
    const centreBroker = await openBroker({ url: centre.url, sources: ['post1'] }, { name: 'centre', log: () => {} });
    processors.push(await startProcessor({ port: 0, dataDir: centreDir, rulesDir: RULES_DIR, streamsDir: STREAMS_DIR, watchRules: false, log: () => {}, broker: centreBroker }));
    const postBroker = await openBroker({ url: leaf.url }, { name: 'post1', log: () => {} });
    const post = await startProcessor({ port: 0, dataDir: tempDir(), rulesDir: RULES_DIR, streamsDir: STREAMS_DIR, watchRules: false, log: () => {}, broker: postBroker });
    processors.push(post);
    const nc = await connect({ servers: centre.url });
    const jsm = await jetstreamManager(nc);
    return { centreDir, post, centreEvents: async () => (await jsm.streams.info('EVENTS')).state.messages };
  }

  it('buffers events while its uplink is cut, and the centre raises the same alerts once it is back as if it had never been cut', async () => {
    const uncut = await topology();
    const producer = new TestClient(`${uncut.post.url}/ingest`);
    await producer.opened();
    await send(producer, TRAFFIC);
    await until(async () => (await uncut.centreEvents()) === TRAFFIC.length, 'the centre to source every event');
    await settled(uncut.centreDir);
    const expected = alertsOf(uncut.centreDir);
    producer.close();
    for (const p of processors.splice(0)) await p.close();
    await proxy!.close();
    for (const s of servers.splice(0)) await s.stop();

    const cut = await topology();
    const post = new TestClient(`${cut.post.url}/ingest`);
    await post.opened();
    await send(post, TRAFFIC.slice(0, 100));
    await until(async () => (await cut.centreEvents()) === 100, 'the first events at the centre');
    await proxy!.cut();
    // Cut off: the post still accepts (its leaf node records them), the centre sees nothing new.
    await send(post, TRAFFIC.slice(100));
    expect(await cut.centreEvents()).toBe(100);
    await proxy!.open();
    await until(async () => (await cut.centreEvents()) === TRAFFIC.length, 'the centre to source the backlog');
    await settled(cut.centreDir);
    post.close();
    const alerts = alertsOf(cut.centreDir);
    expect(alerts.length).toBe(expected.length);
    expect(alertStreamHash(alerts)).toBe(alertStreamHash(expected));
  });
});
