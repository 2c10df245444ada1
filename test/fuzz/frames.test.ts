import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDeadLetters } from '../../src/journal/dead-letters.ts';
import { readJournal } from '../../src/journal/journal.ts';
import type { IngestReply } from '../../src/ingest/protocol.ts';
import { type BorderEvent, validateEvent } from '../../src/model/event.ts';
import {
  breakEvent, type Breaking, breaking, fuzzParams, fuzzTimeout, hostileValue, keysOutsideSchema, mutateEvent, mutation, nestedText, objectsIn, polluted,
  POLLUTION_KEYS, prototypeSnapshot, validEvents, withOwnKey,
} from './hostile.ts';
import { IngestHarness } from './ingest-harness.ts';

// Frames and events through the real parse → validate → record stages (no socket).
// Runs per property: see fuzzParams in hostile.ts (FUZZ_RUNS, and FUZZ_SEED/FUZZ_PATH to replay).

const pool = validEvents(200, 'fz');
let fresh = 0;
/** A valid event under an id never sent before, so that it must be accepted. */
const freshEvent = (k: number): BorderEvent => ({ ...pool[k % pool.length]!, eventId: `fresh-${++fresh}` });
const eventIndex = fc.nat({ max: pool.length - 1 });
const before = prototypeSnapshot();
let harness: IngestHarness;

beforeAll(() => {
  harness = new IngestHarness();
});
afterAll(() => harness.close());

/** What must hold of any reply, whatever the frame held. */
function checkReply(reply: IngestReply, positions?: number): void {
  if (positions !== undefined) expect(reply.results).toHaveLength(positions);
  expect(reply.results.length).toBeGreaterThan(0);
  expect(reply.results.map((r) => r.i)).toEqual(reply.results.map((_, i) => i));
  const count = (status: string): number => reply.results.filter((r) => r.status === status).length;
  expect([reply.accepted, reply.duplicates, reply.rejected, reply.failed]).toEqual([count('accepted'), count('duplicate'), count('rejected'), count('failed')]);
  for (const r of reply.results) {
    if (r.status === 'accepted' || r.status === 'duplicate') continue;
    expect(r.issues?.length ?? 0, `result ${r.i} (${r.status}) has no issue`).toBeGreaterThan(0);
    for (const issue of r.issues!) expect(typeof issue.message === 'string' && issue.message.trim() !== '', `empty message at "${issue.path}"`).toBe(true);
  }
  const accepted = new Set(reply.results.filter((r) => r.status === 'accepted').map((r) => r.eventId));
  for (const { event } of harness.passedOn.filter((e) => accepted.has(e.event.eventId))) checkAccepted(event);
  expect(harness.escaped).toEqual([]);
  expect(polluted(before)).toBeUndefined();
}

/** An accepted event re-validates, survives the journal's JSON unchanged and holds nothing the schema does not declare. */
function checkAccepted(event: BorderEvent): void {
  const roundTrip: unknown = JSON.parse(JSON.stringify(event));
  expect(roundTrip).toEqual(event);
  expect(validateEvent(roundTrip)).toEqual({ success: true, event });
  expect(keysOutsideSchema(event)).toEqual([]);
}

const statuses = (reply: IngestReply): string[] => reply.results.map((r) => r.status);

describe('ingest under hostile frames (property-based)', () => {
  it('answers random bytes, read as UTF-8 like a binary frame, with one reply and a reason per position', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 4_096 }), async (bytes) => {
        const reply = await harness.send(Buffer.from(bytes).toString('utf8'));
        checkReply(reply);
        expect(reply.accepted).toBe(0);
      }),
      fuzzParams(300),
    );
  }, fuzzTimeout());

  it('answers random text, JSON-looking or not, with one reply and a reason per position', async () => {
    const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 2_000 }), fc.json({ maxDepth: 6 }), fc.stringMatching(/^[\s[\]{}",:0-9a-z\\-]{0,400}$/));
    await fc.assert(
      fc.asyncProperty(text, async (data) => {
        const reply = await harness.send(data);
        checkReply(reply);
        expect(reply.accepted).toBe(0);
      }),
      fuzzParams(300),
    );
  }, fuzzTimeout());

  it('rejects every event broken by a wrong type, an unknown or pollution key at any level, or an oversize string', async () => {
    await fc.assert(
      fc.asyncProperty(eventIndex, breaking, async (k, m) => {
        const event = freshEvent(k);
        const broken = breakEvent(event, m);
        const reply = await harness.send(JSON.stringify(broken));
        checkReply(reply, 1);
        expect(statuses(reply)).toEqual(['rejected']);
        // The producer can match the rejection when the id itself was not what broke.
        const id = (broken as { eventId?: unknown }).eventId;
        if (id === event.eventId) expect(reply.results[0]!.eventId).toBe(event.eventId);
      }),
      fuzzParams(400),
    );
  }, fuzzTimeout());

  it('answers events with fields dropped or replaced by anything consistently: accepted ones are sound', async () => {
    await fc.assert(
      fc.asyncProperty(eventIndex, fc.array(mutation, { minLength: 1, maxLength: 3 }), async (k, ms) => {
        const mutated = ms.reduce<unknown>((e, m) => mutateEvent(e as BorderEvent, m), freshEvent(k));
        const reply = await harness.send(JSON.stringify(mutated));
        checkReply(reply, 1);
        // The verdict is validateEvent's on the very text sent.
        expect(reply.results[0]!.status).toBe(validateEvent(JSON.parse(JSON.stringify(mutated))).success ? 'accepted' : 'rejected');
      }),
      fuzzParams(400),
    );
  }, fuzzTimeout());

  type Item = { kind: 'good'; k: number } | { kind: 'broken'; k: number; m: Breaking } | { kind: 'garbage'; text: string } | { kind: 'value'; value: unknown };
  const item: fc.Arbitrary<Item> = fc.oneof(
    fc.record({ kind: fc.constant('good' as const), k: eventIndex }),
    fc.record({ kind: fc.constant('broken' as const), k: eventIndex, m: breaking }),
    // A line starting with # is never JSON, alone or joined with its neighbours.
    fc.record({ kind: fc.constant('garbage' as const), text: fc.string({ maxLength: 200 }).map((s) => `#${s.replace(/[\r\n]/g, ' ')}`) }),
    fc.record({ kind: fc.constant('value' as const), value: hostileValue }),
  );

  it('gives every position of a mixed NDJSON or array frame exactly one answer, in place', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(item, { minLength: 2, maxLength: 12 }), fc.constantFrom('ndjson', 'crlf', 'array'), fc.boolean(), async (items, framing, blankLines) => {
        const shaped = items.map((it) => (it.kind === 'good' ? { it, value: freshEvent(it.k) as unknown } : it.kind === 'broken' ? { it, value: breakEvent(freshEvent(it.k), it.m) } : { it, value: it.kind === 'value' ? it.value : undefined }));
        const positions = framing === 'array' ? shaped.filter((s) => s.it.kind !== 'garbage') : shaped;
        if (positions.length === 0) return;
        let data: string;
        if (framing === 'array') data = JSON.stringify(positions.map((s) => s.value));
        else {
          const lines = positions.map((s) => (s.it.kind === 'garbage' ? s.it.text : JSON.stringify(s.value)));
          data = lines.join(framing === 'crlf' ? '\r\n' : blankLines ? '\n  \n' : '\n');
        }
        const reply = await harness.send(data);
        checkReply(reply, positions.length);
        expect(statuses(reply)).toEqual(positions.map((s) => (s.it.kind === 'good' ? 'accepted' : 'rejected')));
        positions.forEach((s, i) => {
          if (s.it.kind === 'garbage') expect(reply.results[i]!.issues![0]!.message).toMatch(/^invalid JSON/);
        });
      }),
      fuzzParams(200),
    );
  }, fuzzTimeout());
});

describe('ingest under hostile frames (worst cases)', () => {
  it.each([
    ['100,000 nested arrays as the frame', nestedText(100_000, 'array'), 1],
    ['100,000 nested objects as the frame', nestedText(100_000, 'object'), 1],
    ['100,000 nested arrays as one element of an array frame', `[${JSON.stringify(pool[0])},${nestedText(100_000, 'array')}]`, 2],
    ['100,000 nested objects as an NDJSON line', `${JSON.stringify(pool[1])}\n${nestedText(100_000, 'object')}\n${JSON.stringify(pool[2])}`, 3],
    // An event without a vehicle of its own, whose key would otherwise win over the nested one.
    ['100,000 nested objects inside an event field', JSON.stringify(pool.find((e) => e.kind === 'crossing' && e.vehicle === undefined)).replace(/^\{/, `{"vehicle":${nestedText(100_000, 'object')},`), 1],
  ])('answers %s without overflowing the stack, and keeps a readable dead letter', async (_name, data, positions) => {
    const reply = await harness.send(data);
    checkReply(reply, positions);
    expect(reply.results.some((r) => r.status === 'rejected' && r.issues!.some((i) => i.message.includes('nested deeper than 100 levels')))).toBe(true);
    const letter = readDeadLetters(harness.dataDir).at(-1)!;
    // A payload longer than the excerpt bound keeps its start, where the cut nesting is.
    expect(letter.payload === undefined ? letter.excerpt : JSON.stringify(letter.payload)).toContain('[cut: nested deeper than 100 levels]');
  });

  it('rejects strings up to the frame limit (1 MiB) in a field, as the frame, and as a JSON string', async () => {
    const mib = 1_048_576 - 1_024;
    const event = { ...freshEvent(4), declarationId: 'D'.repeat(mib), traveller: undefined };
    for (const data of [JSON.stringify(event), 'x'.repeat(mib), JSON.stringify('y'.repeat(mib)), JSON.stringify({ [`k${'z'.repeat(mib)}`]: 1 })]) {
      const reply = await harness.send(data);
      checkReply(reply, 1);
      expect(statuses(reply)).toEqual(['rejected']);
      expect(JSON.stringify(reply).length).toBeLessThan(2 * mib + 10_000);
    }
  });

  it('rejects __proto__, constructor and prototype at every level of an event, naming where, and pollutes nothing', async () => {
    const event = pool.find((e) => e.kind === 'cargo')!;
    const crossing = pool.find((e) => e.kind === 'crossing' && e.itinerary !== undefined && e.vehicle === undefined)!;
    for (const base of [event, crossing]) {
      for (const place of objectsIn(base)) {
        for (const key of POLLUTION_KEYS) {
          const copy = structuredClone(base) as unknown as Record<string, unknown>;
          copy.eventId = `proto-${++fresh}`;
          let target: Record<string, unknown> = copy;
          for (const k of place) target = target[k] as Record<string, unknown>;
          withOwnKey(target, key, { polluted: true, isAdmin: true });
          const reply = await harness.send(JSON.stringify(copy));
          checkReply(reply, 1);
          expect(statuses(reply)).toEqual(['rejected']);
          const where = place.reduce<string>((p, k) => (typeof k === 'number' ? `${p}[${k}]` : p ? `${p}.${k}` : k), '');
          expect(reply.results[0]!.issues).toContainEqual({ path: where, message: `Unrecognized key: "${key}"` });
        }
      }
    }
  });

  it('journals only valid events, each exactly as accepted, and keeps every dead letter readable', async () => {
    const records = readJournal(harness.journal.path);
    expect(records.length).toBe(harness.passedOn.length);
    expect(records.length).toBeGreaterThan(50);
    for (const record of records) expect(validateEvent(record.event)).toEqual({ success: true, event: record.event });
    expect(records.map((r) => r.event)).toEqual(harness.passedOn.map((e) => e.event));
    expect(readDeadLetters(harness.dataDir).length).toBeGreaterThan(500);
    expect(polluted(before)).toBeUndefined();
  });
});
