import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { describe, expect, it } from 'vitest';
import { startNatsServer } from '../nats-server.ts';

describe('the nats-server test harness', () => {
  it('starts a JetStream server on a free port that a client can use, and stops it', async () => {
    const server = await startNatsServer();
    const nc = await connect({ servers: server.url });
    const jsm = await jetstreamManager(nc);
    const info = await jsm.getAccountInfo();
    expect(info.streams).toBe(0);
    await nc.close();
    await server.stop();
    await expect(connect({ servers: server.url, reconnect: false, timeout: 1_000 })).rejects.toThrow();
  });

  it('starts a leaf node with its own JetStream domain, connected to a hub', async () => {
    const hub = await startNatsServer({ domain: 'centre', acceptLeafs: true });
    const leaf = await startNatsServer({ domain: 'post1', leafRemotes: [`nats-leaf://127.0.0.1:${hub.leafPort}`] });
    try {
      const nc = await connect({ servers: leaf.url });
      const jsm = await jetstreamManager(nc);
      expect((await jsm.getAccountInfo()).domain).toBe('post1');
      await nc.close();
    } finally {
      await leaf.stop();
      await hub.stop();
    }
  });
});
