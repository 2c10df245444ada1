import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterEach, describe, expect, it } from 'vitest';
import { HitsCollector, publishHits } from '../../src/broker/hits.ts';
import { ensureStreams } from '../../src/broker/streams.ts';
import { type NatsServer, startNatsServer } from '../nats-server.ts';
import { until } from './until.ts';

describe("instance 0's view of the other instances' hits", () => {
  let server: NatsServer | undefined;
  let nc: NatsConnection | undefined;
  let collector: HitsCollector | undefined;
  afterEach(async () => {
    collector?.stop();
    await nc?.close();
    await server?.stop();
  });

  it('says when an instance\'s hits skip events, and not for batches that follow on or repeat', async () => {
    server = await startNatsServer();
    nc = await connect({ servers: server.url });
    await ensureStreams(await jetstreamManager(nc));
    const js = jetstream(nc);
    const batch = (from: number, to: number) => ({ instance: 1, count: 2, from, to, hits: [] });
    // Events 1-10, a repeat after a restart (1-5), 11-20 following on, then 26-30: 21-25 missing.
    for (const [from, to] of [[1, 10], [1, 5], [11, 20], [26, 30]] as const) await publishHits(js, batch(from, to));
    const lines: string[] = [];
    collector = new HitsCollector(2, (line) => lines.push(line));
    await collector.follow(js, 0);
    await collector.until(30);
    expect(lines).toEqual(["broker: instance 1's hits go on from event 26, but it had reported up to 20: events 21-25 are joined without its hits, and alerts on them lack the indicators it evaluates"]);
  });

  it('takes events up to where instance 0 resumes as reported', async () => {
    server = await startNatsServer();
    nc = await connect({ servers: server.url });
    await ensureStreams(await jetstreamManager(nc));
    const js = jetstream(nc);
    // The stream keeps hits from event 41 on (older ones expired); instance 0 resumes after 40.
    await publishHits(js, { instance: 1, count: 2, from: 41, to: 50, hits: [{ seq: 45, fired: ['cargo.first-time-consignee'], evidence: [], deferred: [] }] });
    const lines: string[] = [];
    collector = new HitsCollector(2, (line) => lines.push(line));
    await collector.follow(js, 40);
    await collector.until(50);
    expect(collector.take(45)).toHaveLength(1);
    expect(lines).toEqual([]);
    await publishHits(js, { instance: 1, count: 2, from: 52, to: 60, hits: [] });
    await until(() => lines.length > 0, 'the gap to be told');
    expect(lines[0]).toMatch(/up to 50: event 51 is joined without its hits/);
  });
});
