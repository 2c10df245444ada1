import { describe, expect, it } from 'vitest';
import { IngestSession } from '../../src/ingest/ingest-session.ts';
import type { IngestFrame, IngestReply } from '../../src/ingest/protocol.ts';

const ack = (frame: number, accepted: number): IngestReply => ({ type: 'ack', frame, accepted, duplicates: 0, rejected: 0, failed: 0, results: [] });

describe('an ingest session', () => {
  it('numbers frames from 1 and stamps them with the connection, the time of receipt and the producer’s scope', () => {
    const frames: IngestFrame[] = [];
    let clock = 1_000;
    const posts = new Set(['KZ-KHORGOS']);
    const session = new IngestSession({ connection: 'c7', ingest: (f) => frames.push(f), deliver: () => undefined, posts, producer: 'tok-1', now: () => clock++ });
    expect(session.receive('{"a":1}')).toBe(1);
    expect(session.receive('{"b":2}')).toBe(2);
    expect(frames.map(({ connection, frame, receivedAt, data, posts: p, producer }) => ({ connection, frame, receivedAt, data, p, producer }))).toEqual([
      { connection: 'c7', frame: 1, receivedAt: 1_000, data: '{"a":1}', p: posts, producer: 'tok-1' },
      { connection: 'c7', frame: 2, receivedAt: 1_001, data: '{"b":2}', p: posts, producer: 'tok-1' },
    ]);
  });

  it('delivers replies in frame order when a later frame is answered first, each with its frame’s size', () => {
    const frames: IngestFrame[] = [];
    const delivered: [number, number, number][] = [];
    const session = new IngestSession({ connection: 'c1', ingest: (f) => frames.push(f), deliver: (reply, size) => delivered.push([reply.frame, reply.accepted, size]) });
    session.receive('x');
    session.receive('yy');
    session.receive('zzz');
    frames[2]!.respond(ack(3, 30));
    frames[1]!.respond(ack(2, 20));
    expect(delivered).toEqual([]);
    frames[0]!.respond(ack(1, 10));
    expect(delivered).toEqual([
      [1, 10, 1],
      [2, 20, 2],
      [3, 30, 3],
    ]);
  });

  it('delivers a reply given while the frame is being handed over (a synchronous reject) at once', () => {
    const delivered: number[] = [];
    const session = new IngestSession({ connection: 'c1', ingest: (f) => f.respond(ack(f.frame, 0)), deliver: (reply) => delivered.push(reply.frame) });
    session.receive('not json');
    session.receive('nor this');
    expect(delivered).toEqual([1, 2]);
  });
});
