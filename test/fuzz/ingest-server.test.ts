import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../src/alert/alert.ts';
import { readDeadLetters } from '../../src/journal/dead-letters.ts';
import { readJournal } from '../../src/journal/journal.ts';
import type { IngestReply } from '../../src/ingest/protocol.ts';
import { validateEvent } from '../../src/model/event.ts';
import { type Processor, startProcessor } from '../../src/processor.ts';
import { generated, RULES_DIR, STREAMS_DIR, TestClient, tempDir } from '../helpers.ts';
import { type Breaking, breakEvent, breaking, fuzzParams, fuzzTimeout, hostileValue, nestedText, polluted, prototypeSnapshot, validEvents } from './hostile.ts';

// A storm of fuzzed frames through a real server and real WebSocket clients. Each run
// sends a few hundred frames; FUZZ_RUNS raises the number of runs (see hostile.ts).

const MAX_FRAME = 64 * 1024;
const pool = validEvents(100, 'srv');
const eventIndex = fc.nat({ max: pool.length - 1 });
let fresh = 0;

/** A frame and what the server must answer: `events` positions, or a close code. */
type Frame =
  | { kind: 'events'; data: string | Buffer; binary: boolean; events: number | 'some'; valid: number }
  | { kind: 'closes'; data: Buffer; binary: boolean; code: number };

type Piece = { good: number } | { broken: number; m: Breaking } | { value: unknown };
const piece: fc.Arbitrary<Piece> = fc.oneof(fc.record({ good: eventIndex }), fc.record({ broken: eventIndex, m: breaking }), fc.record({ value: hostileValue }));

function pieceText(p: Piece): { text: string; valid: boolean } {
  if ('good' in p) return { text: JSON.stringify({ ...pool[p.good]!, eventId: `srv-fresh-${++fresh}` }), valid: true };
  if ('broken' in p) return { text: JSON.stringify(breakEvent({ ...pool[p.broken]!, eventId: `srv-broken-${++fresh}` }, p.m)), valid: false };
  return { text: JSON.stringify(p.value) ?? 'null', valid: false };
}

/** A frame of events, or a 1009 refusal when it came out larger than the limit. */
function eventsFrame(data: string, binary: boolean, events: number | 'some', valid: number): Frame {
  if (Buffer.byteLength(data) > MAX_FRAME) return { kind: 'closes', data: Buffer.from(data), binary, code: 1009 };
  return { kind: 'events', data: binary ? Buffer.from(data) : data, binary, events, valid };
}

// Frames are made when the run executes (not when generated), so that valid events get ids never sent before.
const frame: fc.Arbitrary<() => Frame> = fc.oneof(
  { arbitrary: fc.tuple(fc.array(piece, { minLength: 1, maxLength: 8 }), fc.constantFrom('array', 'ndjson'), fc.boolean()).map(([pieces, framing, binary]) => (): Frame => {
    const texts = pieces.map(pieceText);
    // One NDJSON line holding an array would be read as an array frame; keep such frames arrays.
    const data = framing === 'array' || texts.length === 1 ? `[${texts.map((t) => t.text).join(',')}]` : texts.map((t) => t.text).join('\n');
    return eventsFrame(data, binary, texts.length, texts.filter((t) => t.valid).length);
  }), weight: 6 },
  { arbitrary: fc.uint8Array({ maxLength: 2_000 }).map((bytes) => (): Frame => ({ kind: 'events', data: Buffer.from(bytes), binary: true, events: 'some', valid: 0 })), weight: 2 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 500 }).map((text) => (): Frame => eventsFrame(text, false, 'some', 0)), weight: 1 },
  { arbitrary: fc.integer({ min: 200, max: 20_000 }).map((depth) => (): Frame => eventsFrame(nestedText(depth, 'object'), false, 1, 0)), weight: 1 },
  // Not UTF-8 in a text frame: the WebSocket protocol itself forbids it (RFC 6455 §8.1).
  { arbitrary: fc.constantFrom([0xff], [0xc3, 0x28], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80]).map((bad) => (): Frame => ({ kind: 'closes', data: Buffer.concat([Buffer.from('{"eventId":"'), Buffer.from(bad), Buffer.from('"}')]), binary: false, code: 1007 })), weight: 1 },
  { arbitrary: fc.integer({ min: MAX_FRAME + 1, max: 3 * MAX_FRAME }).map((size) => (): Frame => ({ kind: 'closes', data: Buffer.alloc(size, 0x20), binary: false, code: 1009 })), weight: 1 },
);

const dataDir = tempDir('border-risk-fuzz-server-');
const before = prototypeSnapshot();
const logs: string[] = [];
let processor: Processor;
const acceptedIds = new Set<string>();

beforeAll(async () => {
  processor = await startProcessor({ port: 0, dataDir, rulesDir: RULES_DIR, streamsDir: STREAMS_DIR, maxFrameBytes: MAX_FRAME, watchRules: false, log: (line) => logs.push(line) });
});
afterAll(() => processor.close());

/** Sends frames in one burst on one connection and checks every reply; resolves once all are answered. */
async function burst(frames: Frame[]): Promise<void> {
  const client = new TestClient(`${processor.url}/ingest`);
  await client.opened();
  for (const f of frames) client.socket.send(f.data, { binary: f.binary });
  await client.until((m) => m.length === frames.length, 10_000);
  const replies = client.messages as IngestReply[];
  expect(replies.map((r) => r.frame)).toEqual(frames.map((_, k) => k + 1));
  replies.forEach((reply, k) => {
    const f = frames[k]! as Extract<Frame, { kind: 'events' }>;
    const n = reply.results.length;
    if (f.events === 'some') expect(n).toBeGreaterThan(0);
    else expect(n).toBe(f.events);
    expect(reply.accepted + reply.duplicates + reply.rejected + reply.failed).toBe(n);
    expect(reply.results.map((r) => r.i)).toEqual(reply.results.map((_, i) => i));
    expect(reply.accepted).toBe(f.valid);
    for (const r of reply.results) {
      if (r.status === 'accepted') acceptedIds.add(r.eventId!);
      else expect(r.issues?.some((i) => i.message.length > 0)).toBe(true);
    }
  });
  client.close();
}

/** Sends a frame the protocol refuses and expects the connection closed with `code`. */
async function refused(f: Extract<Frame, { kind: 'closes' }>): Promise<void> {
  const client = new TestClient(`${processor.url}/ingest`);
  await client.opened();
  client.socket.send(f.data, { binary: f.binary });
  expect((await client.closed).code).toBe(f.code);
  expect(client.messages).toEqual([]);
}

describe('the processor under a storm of fuzzed frames', () => {
  it('answers every frame once and in order, closes only with the documented codes, and a new connection works after', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(frame, { minLength: 200, maxLength: 300 }), async (makers) => {
        let segment: Frame[] = [];
        for (const make of makers) {
          const f = make();
          if (f.kind === 'events') {
            segment.push(f);
            continue;
          }
          // Frames before a refused one are answered first; the refusal ends only its own connection.
          if (segment.length > 0) await burst(segment);
          segment = [];
          await refused(f);
        }
        if (segment.length > 0) await burst(segment);
        expect(polluted(before)).toBeUndefined();
      }),
      fuzzParams(2),
    );
  }, Math.max(120_000, fuzzTimeout()));

  it('journals exactly the accepted events, all valid, and still answers /health', async () => {
    const records = readJournal(`${dataDir}/journal.ndjson`);
    expect(new Set(records.map((r) => r.event.eventId))).toEqual(acceptedIds);
    for (const r of records) expect(validateEvent(r.event).success).toBe(true);
    const health = (await (await fetch(`${processor.url.replace('ws:', 'http:')}/health`)).json()) as { status: string; metrics: { accepted: number } };
    expect(health.status).toBe('ok');
    expect(health.metrics.accepted).toBe(acceptedIds.size);
    expect(logs.filter((l) => l.startsWith('fault'))).toEqual([]);
    // Every refusal left a note saying why; only a size refusal speaks of the limit.
    const refusals = readDeadLetters(dataDir).flatMap((l) => l.issues.map((i) => i.message)).filter((m) => m.startsWith('frame refused'));
    expect(refusals.length).toBe(logs.filter((l) => l.startsWith('ingest connection')).length);
    for (const m of refusals) expect(m.includes('limit')).toBe(/payload size/i.test(m));
  });

  it('accepts and processes a valid event after the storm: its alert reaches a subscriber', async () => {
    const planted = generated(20, { seed: 91, plantRate: 1, cases: ['expired-document'], idPrefix: 'after-storm' }).find((g) => g.label !== undefined)!;
    const subscriber = new TestClient(`${processor.url}/alerts`);
    const producer = new TestClient(`${processor.url}/ingest`);
    await Promise.all([subscriber.opened(), producer.opened()]);
    producer.send(JSON.stringify(planted.event));
    await producer.until((m) => m.length === 1);
    expect(producer.messages[0]).toMatchObject({ frame: 1, accepted: 1 });
    await subscriber.until((m) => m.some((x) => (x as { alert?: Alert }).alert?.eventId === planted.event.eventId));
    producer.close();
    subscriber.close();
  });
});
