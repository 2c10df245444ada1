import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestReply } from '../../src/ingest/protocol.ts';
import { readDeadLetters } from '../../src/journal/dead-letters.ts';
import { JOURNAL_FILE, readJournal } from '../../src/journal/journal.ts';
import { type Processor, startProcessor } from '../../src/processor.ts';
import { acksIn, crossingAt, RULES_DIR, STREAMS_DIR, TestClient, tempDir } from '../helpers.ts';

const GUIDE = path.join(import.meta.dirname, '../fixtures/edifact/guide');
const dataDir = tempDir();
let processor: Processor;

beforeAll(async () => {
  processor = await startProcessor({ port: 0, dataDir, rulesDir: RULES_DIR, streamsDir: STREAMS_DIR, watchRules: false, fsync: false, log: () => {} });
});
afterAll(() => processor.close());

describe('airline messages on /ingest', () => {
  it('journals each traveller of a PAXLST frame, rejects the bad one into the dead letters with its segment, and answers a resend as duplicates', async () => {
    const producer = new TestClient(`${processor.url}/ingest`);
    await producer.opened();
    const text = fs.readFileSync(path.join(GUIDE, 'paxlst-d05b-passengers.edi'), 'utf8');
    producer.send(text);
    await producer.until((m) => acksIn(m).length === 1);
    const reply = acksIn(producer.messages)[0] as IngestReply;
    expect([reply.accepted, reply.rejected]).toEqual([2, 1]);
    const rejected = reply.results.find((r) => r.status === 'rejected')!;
    expect(rejected.issues![0]!.message).toContain('traveller rejected: message PAX0001: segment 38 (DTM) element 1 component 2');

    producer.send(text.replace(/PAX0001/g, 'PAX0009'));
    await producer.until((m) => acksIn(m).length === 2);
    expect(acksIn(producer.messages)[1]).toMatchObject({ accepted: 0, duplicates: 2, rejected: 1 });

    producer.send(fs.readFileSync(path.join(GUIDE, 'paxlst-d05b-bad-count.edi'), 'utf8'));
    await producer.until((m) => acksIn(m).length === 3);
    const whole = acksIn(producer.messages)[2]!;
    expect(whole).toMatchObject({ accepted: 0, rejected: 1 });
    expect(whole.results[0]!.issues![0]!.message).toContain('message rejected: message PAX0001: segment 44 (UNT) element 1');
    producer.close();

    const journaled = readJournal(path.join(dataDir, JOURNAL_FILE)).map((r) => r.event);
    expect(journaled.map((e) => [e.kind === 'crossing' && e.traveller.familyName, e.post])).toEqual([["O'BRIEN", 'KZ-ALA'], ['NURLANOVA', 'KZ-ALA']]);
    const letters = readDeadLetters(dataDir);
    expect(letters.length).toBeGreaterThanOrEqual(3);
    expect(JSON.stringify(letters)).toContain('DEMIR');
  });

  it('takes a flight stamped five hours ahead of the land posts\' crossings without making them late', async () => {
    const own = await startProcessor({ port: 0, dataDir: tempDir(), rulesDir: RULES_DIR, streamsDir: STREAMS_DIR, watchRules: false, fsync: false, log: () => {} });
    try {
      const producer = new TestClient(`${own.url}/ingest`);
      await producer.opened();
      // Crossings at two land posts every two minutes from 06:00 on the flight's day; the PAXLST's flight lands at 12:05.
      const land = (fromMinute: number, toMinute: number) =>
        Array.from({ length: (toMinute - fromMinute) / 2 }, (_, i) => {
          const minute = fromMinute + 2 * i;
          const event = crossingAt(i % 2 === 0 ? 'KZ-KORDAY' : 'KZ-NURZHOLY', 'entry', 0, `L${String(minute).padStart(8, '0')}`);
          return { ...event, eventTime: `2026-12-07T${String(6 + Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}:00.000+05:00` };
        });
      producer.send(JSON.stringify(land(0, 60)));
      producer.send(fs.readFileSync(path.join(GUIDE, 'paxlst-d05b-passengers.edi'), 'utf8'));
      producer.send(JSON.stringify(land(60, 180)));
      await producer.until((m) => acksIn(m).length === 3);
      expect(acksIn(producer.messages).map((r) => r.accepted)).toEqual([30, 2, 60]);
      producer.close();
      await new Promise<void>((resolve, reject) => {
        const check = () => (own.metrics.processed >= 92 ? resolve() : Date.now() > deadline ? reject(new Error(`assessed ${own.metrics.processed} of 92`)) : setTimeout(check, 20));
        const deadline = Date.now() + 10_000;
        check();
      });
      // Before, the flight made both land posts idle, and every later crossing at them was late.
      expect(own.metrics.late).toBe(0);
    } finally {
      await own.close();
    }
  });
});
