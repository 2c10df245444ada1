import { type JetStreamClient, jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { afterEach, describe, expect, it } from 'vitest';
import { type Broker, openBroker, runsAfter } from '../../src/broker/broker.ts';
import { type NatsServer, startNatsServer } from '../nats-server.ts';
import { until } from './until.ts';

const seqs = (...list: number[]) => list.map((seq) => ({ seq }));

/** Events `from`..`to` on the EVENTS stream (what they hold does not matter here). */
async function publish(js: JetStreamClient, from: number, to: number): Promise<void> {
  for (let i = from; i <= to; i++) await js.publish('events.crossing.P1', JSON.stringify({ receivedAt: '2026-01-01T00:00:00Z', event: { n: i } }));
}

/** Consumes after `after`, holding the first batch's handling until `release`; resolves once the first batch came. */
async function consumeHeldAtFirstBatch(broker: Broker, after: number): Promise<{ handled: number[]; release: () => void }> {
  const handled: number[] = [];
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  await broker.consumeEvents(after, async (batch) => {
    handled.push(...batch.map((e) => e.seq));
    if (handled.length === batch.length) await gate;
  });
  await until(() => handled.length > 0, 'the first batch');
  return { handled, release };
}

/**
 * Another pull on the instance's consumer takes five events and never acknowledges them:
 * they are delivered, pending, and would come again only after the acknowledgement wait.
 */
async function takeFive(js: JetStreamClient, broker: Broker): Promise<number[]> {
  const taken: number[] = [];
  for await (const m of await (await js.consumers.get('EVENTS', broker.consumerName)).fetch({ max_messages: 5, expires: 2_000 })) taken.push(m.seq);
  expect(taken).toHaveLength(5);
  return taken;
}

describe('the messages of a fetched batch a consumer handles (runsAfter)', () => {
  it('takes those after the last acknowledged, in runs of consecutive sequence numbers', () => {
    expect(runsAfter(seqs(4, 5, 6), 3)).toEqual([seqs(4, 5, 6)]);
    expect(runsAfter(seqs(4, 5, 7, 8), 3)).toEqual([seqs(4, 5), seqs(7, 8)]);
    // The first run may start past a gap: what lies before it is read again from the stream.
    expect(runsAfter(seqs(6, 7), 3)).toEqual([seqs(6, 7)]);
  });

  it('skips redeliveries of what was acknowledged, and takes a message delivered twice once and in order', () => {
    expect(runsAfter(seqs(2, 3, 5, 4, 4), 3)).toEqual([seqs(4, 5)]);
    expect(runsAfter(seqs(1, 2), 3)).toEqual([]);
  });
});

describe('a processor instance consuming the EVENTS stream', () => {
  let server: NatsServer | undefined;
  let broker: Broker | undefined;
  afterEach(async () => {
    await broker?.close();
    await server?.stop();
  });

  it('handles every event once and in order when messages delivered to it never reach it (taken by another fetch, as a fetch cut short leaves them)', { timeout: 60_000 }, async () => {
    server = await startNatsServer();
    const lines: string[] = [];
    broker = await openBroker({ url: server.url }, { name: 'test', log: (line) => lines.push(line) });
    const nc = await connect({ servers: server.url });
    try {
      const js = jetstream(nc);
      await publish(js, 1, 10);
      const { handled, release } = await consumeHeldAtFirstBatch(broker, 0);
      // While the first batch is being handled, events 11-20 come and another pull on the same
      // consumer takes five of them and never acknowledges them: they are delivered, pending,
      // and would come again only after the acknowledgement wait, behind later ones.
      await publish(js, 11, 20);
      const taken = await takeFive(js, broker);
      expect(taken[0]).toBe(handled[handled.length - 1]! + 1);
      release();
      await until(() => handled.includes(20), 'event 20');
      expect(handled).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      expect(lines).toContain(`broker: events ${taken[0]}-${taken[4]} of EVENTS did not come to this instance in order (lost with a fetch, or no longer in the stream); 5 read again from the stream and handled first`);
      await until(() => broker!.acknowledgedSeq === 20, 'the acknowledgement of event 20');
    } finally {
      await nc.close();
    }
  });

  it('reports as its acknowledgement floor the event it was made to start after, before its first acknowledgement', { timeout: 30_000 }, async () => {
    server = await startNatsServer();
    broker = await openBroker({ url: server.url }, { name: 'test', log: () => {} });
    const nc = await connect({ servers: server.url });
    try {
      const js = jetstream(nc);
      await publish(js, 1, 10);
      const { handled, release } = await consumeHeldAtFirstBatch(broker, 6);
      // Killed now, a restart must not take the floor for 0 (and refuse every snapshot, and assess the stream again from its start).
      expect(await broker.ackFloor()).toBe(6);
      release();
      await until(() => broker!.acknowledgedSeq === 10, 'event 10');
      expect(handled).toEqual([7, 8, 9, 10]);
    } finally {
      await nc.close();
    }
  });

  it('handles nothing after a gap it was stopped from reading in full (a close during the read)', { timeout: 60_000 }, async () => {
    server = await startNatsServer();
    broker = await openBroker({ url: server.url }, { name: 'test', log: () => {} });
    const stopping = broker;
    const nc = await connect({ servers: server.url });
    try {
      const js = jetstream(nc);
      await publish(js, 1, 10);
      // The ordered consumer that reads a gap again gets two events a fetch, and the instance is closed meanwhile.
      let closed: Promise<void> | undefined;
      const consumers = (broker as unknown as { js: JetStreamClient }).js.consumers;
      const get = consumers.get.bind(consumers);
      consumers.get = (async (stream: string, options?: Parameters<typeof get>[1]) => {
        const consumer = await get(stream, options);
        if (typeof options === 'object') {
          const fetch = consumer.fetch.bind(consumer);
          consumer.fetch = (opts) => {
            closed ??= stopping.close();
            return fetch({ ...opts, max_messages: 2 });
          };
        }
        return consumer;
      }) as typeof consumers.get;
      const { handled, release } = await consumeHeldAtFirstBatch(broker, 0);
      await publish(js, 11, 20);
      const taken = await takeFive(js, broker);
      release();
      await until(() => closed !== undefined, 'the close');
      await closed;
      broker = undefined;
      // Before, it handled the two events it had read of the gap, then the events after the gap, and acknowledged them.
      expect(handled).toEqual(Array.from({ length: taken[0]! - 1 }, (_, i) => i + 1));
    } finally {
      await nc.close();
    }
  });
});
