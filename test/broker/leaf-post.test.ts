import path from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { afterEach, describe, expect, it } from 'vitest';
import { openBroker } from '../../src/broker/broker.ts';
import { alertStreamHash } from '../../src/backtest/alert-hash.ts';
import { type Processor, startProcessor } from '../../src/processor.ts';
import { readAlerts } from '../../src/store/read-alert-database.ts';
import { acksIn, generated, RULES_DIR, STREAMS_DIR, TestClient, tempDir } from '../helpers.ts';
import { freePort, type NatsServer, startNatsServer } from '../nats-server.ts';
import { startTcpProxy, type TcpProxy } from '../tcp-proxy.ts';
import { until } from './until.ts';

const TRAFFIC = generated(300, { seed: 29, plantRate: 0.08 }).map((g) => g.event);
const FRAME = 20;
/** What the post's leaf link may not carry: only the centre's sourcing moves events (deploy/nats/post.conf). */
const LOCAL_SUBJECTS = ['events.>', 'alerts.>', 'hits.>'];

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
  async function settled(centreDir: string, events = TRAFFIC.length): Promise<void> {
    const centre = processors[0]!;
    await until(() => centre.metrics.processed >= events, () => `the centre to assess every event (${events}; ${JSON.stringify(centre.metrics)})`, 60_000);
    await until(() => alertsOf(centreDir).length === centre.metrics.alerts, 'the hub to store every alert');
  }

  /** A centre sourcing post1's EVENTS, and post1's leaf node linked to it through a proxy; the post runs its own gateway. */
  async function topology(): Promise<{ centreDir: string; centre: Processor; post: Processor; centreEvents: () => Promise<number> }> {
    // The post's link goes through a proxy that the test cuts; the centre tells the post's leaf node to reconnect there, not to itself.
    const proxyPort = await freePort();
    const centre = await startNatsServer({ domain: 'centre', acceptLeafs: true, leafAdvertise: `127.0.0.1:${proxyPort}` });
    servers.push(centre);
    proxy = await startTcpProxy(centre.leafPort!, proxyPort);
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
    return { centreDir, centre: processors[0]!, post, centreEvents: async () => (await jsm.streams.info('EVENTS')).state.messages };
  }

  it('buffers events while its uplink is cut, and the centre raises the same alerts once it is back as if it had never been cut', { timeout: 120_000 }, async () => {
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

  it('with a second post sending straight to the centre, assesses the cut-off post\'s backlog on its own clock: nothing late, the same alerts', { timeout: 300_000 }, async () => {
    // Post 1 (the leaf) and post 2 (straight to the centre's gateway) send the same stretch of
    // time; post 1 is cut off for 20 minutes of it, twice the crossings' allowed lateness,
    // while post 2 goes on. Post 2's traffic is crossings of another seed at its own posts.
    const post1 = generated(600, { seed: 29, plantRate: 0.08 }).map((g) => g.event);
    const post2 = generated(600, { seed: 31, plantRate: 0.08, idPrefix: 'p2' })
      .map((g) => g.event)
      .filter((e) => e.kind === 'crossing')
      .map((e) => ({ ...e, post: `${e.post}-P2` }));
    const startMs = Date.parse(post1[0]!.eventTime);
    const phase = (events: typeof post1, from: number, to: number) => events.filter((e) => Date.parse(e.eventTime) - startMs >= from * 60_000 && Date.parse(e.eventTime) - startMs < to * 60_000);
    const phases = [Number.NEGATIVE_INFINITY, 8, 28, Number.POSITIVE_INFINITY];
    const parts = [0, 1, 2].map((i) => ({ post1: phase(post1, phases[i]!, phases[i + 1]!), post2: phase(post2, phases[i]!, phases[i + 1]!) }));
    expect(parts[1]!.post1.length).toBeGreaterThan(100);
    const total = post1.length + post2.length;
    const countUpTo = (i: number) => parts.slice(0, i + 1).reduce((n, p) => n + p.post1.length + p.post2.length, 0);

    const run = async (cut: boolean) => {
      const { centreDir, centre, post, centreEvents } = await topology();
      const atPost = new TestClient(`${post.url}/ingest`);
      const atCentre = new TestClient(`${centre.url}/ingest`);
      await Promise.all([atPost.opened(), atCentre.opened()]);
      for (const [i, part] of parts.entries()) {
        if (cut && i === 1) await proxy!.cut();
        await Promise.all([send(atPost, part.post1), send(atCentre, part.post2)]);
        if (cut && i === 1) {
          // Cut off: the centre has assessed post 2's newer events while post 1's are held at the post.
          await until(() => centre.metrics.processed >= countUpTo(0) + part.post2.length, "the centre to assess post 2's events", 60_000);
          const leafLines = servers[1]!.output().split('\n').filter((l) => /[Ll]eaf|onnect/.test(l)).slice(-15).join('\n');
          expect(await centreEvents(), `leaf port ${servers[0]!.leafPort}, proxy ${proxy!.port}; the post's server logged:\n${leafLines}`).toBe(countUpTo(0) + part.post2.length);
          await proxy!.open();
        }
        await until(async () => (await centreEvents()) === countUpTo(i), 'the centre to have every event so far', 60_000);
      }
      await settled(centreDir, total);
      atPost.close();
      atCentre.close();
      const result = { alerts: alertsOf(centreDir), late: centre.metrics.late };
      for (const p of processors.splice(0)) await p.close();
      await proxy!.close();
      for (const s of servers.splice(0)) await s.stop();
      return result;
    };
    /**
     * The alerts in id order, without the record number: with two posts, the order the
     * centre's stream holds their events in (so record numbers, and the order alerts are
     * raised in) is how they happened to arrive, cut or not; the alerts are not.
     */
    const asRaised = (alerts: ReturnType<typeof alertsOf>) => alertStreamHash(alerts.map(({ journalRecord: _, ...a }) => ({ ...a, journalRecord: 0 })).sort((a, b) => (a.alertId < b.alertId ? -1 : 1)));

    const uncut = await run(false);
    const cutOff = await run(true);
    expect(cutOff.late).toBe(0);
    expect(uncut.late).toBe(0);
    const backlog = new Set(parts[1]!.post1.map((e) => e.eventId));
    expect(cutOff.alerts.some((a) => backlog.has(a.eventId))).toBe(true);
    expect(cutOff.alerts.length).toBe(uncut.alerts.length);
    expect(asRaised(cutOff.alerts)).toBe(asRaised(uncut.alerts));
  });
});
