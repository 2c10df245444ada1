import { jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { afterEach, describe, expect, it } from 'vitest';
import { type Broker, inOrder, openBroker } from '../../src/broker/broker.ts';
import { type NatsServer, startNatsServer } from '../nats-server.ts';

async function until(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const seqs = (...list: number[]) => list.map((seq) => ({ seq }));

describe('the messages of a fetched batch a consumer handles (inOrder)', () => {
  it('takes those after the last acknowledged, in order, up to the first gap', () => {
    expect(inOrder(seqs(4, 5, 6), 3, false)).toEqual(seqs(4, 5, 6));
    expect(inOrder(seqs(4, 5, 7, 8), 3, false)).toEqual(seqs(4, 5));
    // Nothing: the next one it needs is not there.
    expect(inOrder(seqs(6, 7), 3, false)).toEqual([]);
  });

  it('skips redeliveries of what was acknowledged and a message delivered twice', () => {
    expect(inOrder(seqs(2, 3, 4, 4, 5), 3, false)).toEqual(seqs(4, 5));
  });

  it('takes a first message past a gap when the consumer was just made (the stream no longer holds what lies between)', () => {
    expect(inOrder(seqs(9, 10, 12), 3, true)).toEqual(seqs(9, 10));
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
      const publish = async (from: number, to: number) => {
        for (let i = from; i <= to; i++) await js.publish('events.crossing.P1', JSON.stringify({ receivedAt: '2026-01-01T00:00:00Z', event: { n: i } }));
      };
      await publish(1, 10);
      const handled: number[] = [];
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      await broker.consumeEvents(0, async (batch) => {
        handled.push(...batch.map((e) => e.seq));
        if (handled.length === batch.length) await gate;
      });
      await until(() => handled.length > 0, 'the first batch');
      // While the first batch is being handled, events 11-20 come and another pull on the same
      // consumer takes five of them and never acknowledges them: they are delivered, pending,
      // and would come again only after the acknowledgement wait, behind later ones.
      await publish(11, 20);
      const taken = [];
      for await (const m of await (await js.consumers.get('EVENTS', broker.consumerName)).fetch({ max_messages: 5, expires: 2_000 })) taken.push(m.seq);
      expect(taken).toHaveLength(5);
      expect(taken[0]).toBe(handled[handled.length - 1]! + 1);
      release();
      await until(() => handled.includes(20), 'event 20');
      expect(handled).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      expect(lines.join('\n')).toMatch(new RegExp(`came with a gap after ${taken[0]! - 1} \\(next came ${taken[4]! + 1}\\); reading again from ${taken[0]}`));
      await until(() => broker!.acknowledgedSeq === 20, 'the acknowledgement of event 20');
    } finally {
      await nc.close();
    }
  });
});
