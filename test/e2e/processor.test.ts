import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../src/alert/alert.ts';
import { DEAD_LETTER_FILE, readDeadLetters } from '../../src/journal/dead-letters.ts';
import { JOURNAL_FILE } from '../../src/journal/journal.ts';
import type { IngestReply } from '../../src/ingest/protocol.ts';
import type { Generated } from '../../src/generate/traffic.ts';
import { type Processor, startProcessor } from '../../src/processor.ts';
import { generated, RULES_DIR, STREAMS_DIR, TestClient, tempDir } from '../helpers.ts';

type AlertMessage = { type: 'alert'; seq: number; alert: Alert };
const isAck = (m: unknown): m is IngestReply => (m as IngestReply).type === 'ack';
const alertsIn = (messages: unknown[]): AlertMessage[] => messages.filter((m): m is AlertMessage => (m as AlertMessage).type === 'alert');

const dataDir = tempDir();
let processor: Processor;
const start = (): Promise<Processor> =>
  startProcessor({ port: 0, dataDir, rulesDir: RULES_DIR, streamsDir: STREAMS_DIR, maxFrameBytes: 64 * 1024, log: () => {} });

beforeAll(async () => {
  processor = await start();
});
afterAll(() => processor.close());

describe('the processor, end to end over real WebSockets', () => {
  const traffic: Generated[] = generated(3000, { seed: 2026, plantRate: 0.05 });
  const planted = traffic.flatMap((g) => (g.label ? [g.label] : []));
  const malformed = [
    { ...traffic[0]!.event, eventId: 'bad-1', post: 'khorgos' },
    { ...traffic[1]!.event, eventId: 'bad-2', schemaVersion: 2 },
    { kind: 'crossing', eventId: 'bad-3' },
    { ...traffic[2]!.event, eventId: 'bad-4', eventTime: '2026-11-02 10:00' },
  ];
  let sent = 0;
  let framesSent = 0;
  let producer: TestClient;
  let everyone: TestClient;
  let highCargo: TestClient;
  const journalSeenAtAck: boolean[] = [];

  beforeAll(async () => {
    everyone = new TestClient(`${processor.url}/alerts`);
    highCargo = new TestClient(`${processor.url}/alerts?minSeverity=high&kind=cargo`);
    producer = new TestClient(`${processor.url}/ingest`);
    await Promise.all([everyone.opened(), highCargo.opened(), producer.opened()]);
    // The first acknowledgements are checked against the journal at the moment they arrive.
    producer.socket.on('message', (data) => {
      const reply = JSON.parse(data.toString()) as IngestReply;
      if (journalSeenAtAck.length >= 40) return;
      const journal = fs.readFileSync(path.join(dataDir, JOURNAL_FILE), 'utf8');
      for (const r of reply.results) if (r.status === 'accepted') journalSeenAtAck.push(journal.includes(`"eventId":"${r.eventId}"`));
    });

    // Mixed framing: single events, JSON arrays and NDJSON, with bad frames in between.
    let i = 0;
    while (i < traffic.length) {
      const shape = i % 3;
      const size = shape === 0 ? 1 : shape === 1 ? 10 : 5;
      const chunk = traffic.slice(i, i + size).map((g) => g.event);
      i += size;
      sent += chunk.length;
      framesSent += 1;
      if (shape === 0) producer.send(JSON.stringify(chunk[0]));
      else if (shape === 1) producer.send(JSON.stringify(chunk));
      else producer.send(chunk.map((e) => JSON.stringify(e)).join('\n'));
      if (framesSent === 4) {
        producer.send(JSON.stringify(malformed));
        producer.send('{"kind": "crossing", "eventId": ');
        producer.send(`${JSON.stringify(traffic[3]!.event)}\nnot json at all\n`);
        framesSent += 3;
      }
    }
    await producer.until((m) => m.filter(isAck).length === framesSent);
    await new Promise<void>((resolve) => setImmediate(resolve));
  });

  it('answers every frame, and accepted + rejected equals what was sent', async () => {
    const acks = producer.messages.filter(isAck);
    const accepted = acks.reduce((n, a) => n + a.accepted, 0);
    const rejected = acks.reduce((n, a) => n + a.rejected, 0);
    const duplicates = acks.reduce((n, a) => n + a.duplicates, 0);
    // The NDJSON frame resent traffic[3], which is a duplicate by then.
    expect({ accepted, rejected, duplicates }).toEqual({ accepted: traffic.length, rejected: malformed.length + 2, duplicates: 1 });
    expect(accepted + rejected + duplicates).toBe(sent + malformed.length + 3);
    expect(acks.map((a) => a.frame)).toEqual(acks.map((_, k) => k + 1));
    expect(processor.metrics.processed).toBe(traffic.length);
  });

  it('acknowledges an event only once it is in the journal, and journals each accepted event once', () => {
    expect(journalSeenAtAck.length).toBeGreaterThan(10);
    expect(journalSeenAtAck.every(Boolean)).toBe(true);
    const lines = fs.readFileSync(path.join(dataDir, JOURNAL_FILE), 'utf8').split('\n').filter(Boolean);
    expect(lines).toHaveLength(traffic.length);
  });

  it('rejects each malformed event with the path and reason, and keeps it as a dead letter', () => {
    const results = producer.messages.filter(isAck).flatMap((a) => a.results).filter((r) => r.status === 'rejected');
    const byId = new Map(results.filter((r) => r.eventId).map((r) => [r.eventId, r.issues]));
    expect(byId.get('bad-1')).toEqual([{ path: 'post', message: expect.stringContaining('KZ-KHORGOS') }]);
    expect(byId.get('bad-2')).toEqual([{ path: 'schemaVersion', message: expect.any(String) }]);
    expect(byId.get('bad-3')?.map((i) => i.path)).toEqual(expect.arrayContaining(['eventTime', 'traveller', 'document']));
    expect(byId.get('bad-4')).toEqual([{ path: 'eventTime', message: expect.any(String) }]);
    const unparseable = results.filter((r) => !r.eventId);
    expect(unparseable).toHaveLength(2);
    for (const r of unparseable) expect(r.issues?.[0]?.message).toMatch(/^invalid JSON/);

    const letters = readDeadLetters(dataDir);
    expect(letters).toHaveLength(malformed.length + 2);
    expect(letters.find((l) => l.eventId === 'bad-1')?.payload).toMatchObject({ post: 'khorgos' });
    expect(letters.filter((l) => typeof l.payload === 'string').map((l) => l.payload)).toEqual(['{"kind": "crossing", "eventId": ', 'not json at all']);
  });

  it('raises an explained alert for every planted case', async () => {
    await everyone.until((m) => alertsIn(m).length >= planted.length);
    const alerts = new Map(alertsIn(everyone.messages).map((m) => [m.alert.eventId, m.alert]));
    const missing = planted.filter((label) => {
      const alert = alerts.get(label.eventId);
      return !label.indicators.every((id) => alert?.indicators.some((i) => i.id === id && i.evidence.length > 0));
    });
    expect(missing).toEqual([]);
    const sample = alerts.get(planted[0]!.eventId)!;
    expect(sample).toMatchObject({ ruleSetVersion: processor.ruleSet().version, threshold: 50, event: { eventId: planted[0]!.eventId } });
    expect(sample.score).toBe(sample.indicators.reduce((s, i) => s + i.weight, 0));
    expect(sample.indicators[0]).toEqual(expect.objectContaining({ id: expect.any(String), version: 1, title: expect.any(String), weight: expect.any(Number) }));
  });

  it('numbers alerts 1, 2, 3... and gives a filtered subscriber only what it asked for', async () => {
    const total = processor.metrics.alerts;
    await everyone.until((m) => alertsIn(m).length === total);
    const seqs = alertsIn(everyone.messages).map((m) => m.seq);
    expect(seqs).toEqual(seqs.map((_, k) => k + 1));
    const expected = alertsIn(everyone.messages).filter((m) => m.alert.kind === 'cargo' && ['high', 'critical'].includes(m.alert.severity));
    expect(expected.length).toBeGreaterThan(0);
    await highCargo.until((m) => alertsIn(m).length === expected.length);
    expect(alertsIn(highCargo.messages).map((m) => m.seq)).toEqual(expected.map((m) => m.seq));
  });

  it('acknowledges a repeated event id as a duplicate and does not process it again', async () => {
    const processed = processor.metrics.processed;
    const alertCount = alertsIn(everyone.messages).length;
    const before = producer.messages.length;
    const again = planted.slice(0, 3).map((l) => traffic.find((g) => g.event.eventId === l.eventId)!.event);
    producer.send(JSON.stringify(again));
    await producer.until((m) => m.length === before + 1);
    const reply = producer.messages.at(-1) as IngestReply;
    expect(reply).toMatchObject({ accepted: 0, duplicates: 3, rejected: 0 });
    expect(reply.results.map((r) => r.status)).toEqual(['duplicate', 'duplicate', 'duplicate']);
    await new Promise((r) => setTimeout(r, 100));
    expect(processor.metrics.processed).toBe(processed);
    expect(alertsIn(everyone.messages)).toHaveLength(alertCount);
  });

  it('refuses an oversize frame with close code 1009 and keeps serving other producers', async () => {
    const big = new TestClient(`${processor.url}/ingest`);
    await big.opened();
    big.send(JSON.stringify({ padding: 'x'.repeat(70 * 1024) }));
    expect((await big.closed).code).toBe(1009);

    const next = new TestClient(`${processor.url}/ingest`);
    await next.opened();
    const event = generated(1, { seed: 77, idPrefix: 'after-oversize' })[0]!.event;
    next.send(JSON.stringify(event));
    await next.until((m) => m.length === 1);
    expect(next.messages[0]).toMatchObject({ type: 'ack', frame: 1, accepted: 1 });
    next.close();
    expect(readDeadLetters(dataDir).some((l) => l.issues[0]?.message.includes('frame refused'))).toBe(true);
  });

  it('remembers accepted ids across a restart, so a resend after a crash is not processed twice', async () => {
    producer.close();
    everyone.close();
    highCargo.close();
    await processor.close();
    processor = await start();
    const resend = new TestClient(`${processor.url}/ingest`);
    await resend.opened();
    resend.send(JSON.stringify(traffic.slice(0, 20).map((g) => g.event)));
    await resend.until((m) => m.length === 1);
    expect(resend.messages[0]).toMatchObject({ accepted: 0, duplicates: 20 });
    resend.close();
    expect(fs.existsSync(path.join(dataDir, DEAD_LETTER_FILE))).toBe(true);
  });
});
