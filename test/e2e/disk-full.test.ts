import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../src/alert/alert.ts';
import { JOURNAL_FILE } from '../../src/journal/journal.ts';
import type { IngestReply } from '../../src/ingest/protocol.ts';
import type { BorderEvent } from '../../src/model/event.ts';
import { type Processor, startProcessor } from '../../src/processor.ts';
import { fillDisk, generated, mountTmpfs, RULES_DIR, STREAMS_DIR, TestClient } from '../helpers.ts';

type AlertMessage = { type: 'alert'; seq: number; alert: Alert };
const alertsIn = (messages: unknown[]): AlertMessage[] => messages.filter((m): m is AlertMessage => (m as AlertMessage).type === 'alert');
const acksIn = (messages: unknown[]): IngestReply[] => messages.filter((m): m is IngestReply => (m as IngestReply).type === 'ack');

interface Health {
  status: string;
  ingest: string;
  heldAlerts: number;
  writeFailures?: { file: string; reason: string }[];
}

const disk = mountTmpfs(32 * 1024 * 1024);
const dataDir = disk.dir;
const journalFile = path.join(dataDir, JOURNAL_FILE);
const logLines: string[] = [];
let processor: Processor;
let producer: TestClient;
let subscriber: TestClient;
/** Every event id the processor acknowledged as accepted or duplicate. */
const acked = new Set<string>();
const traffic = generated(2000, { seed: 808, plantRate: 0.5 }).map((g) => g.event);
let nextEvent = 0;
const take = (count: number): BorderEvent[] => traffic.slice(nextEvent, (nextEvent += count));

const start = (): Promise<Processor> =>
  startProcessor({ port: 0, dataDir, rulesDir: RULES_DIR, streamsDir: STREAMS_DIR, watchRules: false, log: (line) => logLines.push(line) });

/** Sends one frame and waits for its acknowledgement. */
async function send(events: unknown[], client = producer): Promise<IngestReply> {
  const before = acksIn(client.messages).length;
  client.send(JSON.stringify(events));
  await client.until((m) => acksIn(m).length > before);
  const reply = acksIn(client.messages)[before]!;
  for (const r of reply.results) if ((r.status === 'accepted' || r.status === 'duplicate') && r.eventId) acked.add(r.eventId);
  return reply;
}

async function health(): Promise<Health> {
  const response = await fetch(`${processor.url.replace(/^ws:/, 'http:')}/health`);
  return (await response.json()) as Health;
}

function journalLines(): string[] {
  return fs.readFileSync(journalFile, 'utf8').split('\n').filter(Boolean);
}

beforeAll(async () => {
  processor = await start();
  // muted=true: every stored alert, including those an inhibition rule keeps off the live feed.
  subscriber = new TestClient(`${processor.url}/alerts?since=0&muted=true`);
  producer = new TestClient(`${processor.url}/ingest`);
  await Promise.all([subscriber.opened(), producer.opened()]);
});

afterAll(async () => {
  // Unmounted even when closing fails, so that a failed run leaves no mount behind.
  try {
    await processor?.close();
  } finally {
    disk.unmount();
  }
});

describe('a data dir whose disk fills up', () => {
  const failedWhileFull: BorderEvent[] = [];
  let filler = '';

  it('acknowledges as usual while there is room', async () => {
    const reply = await send(take(20));
    expect(reply.accepted).toBe(20);
  });

  it('answers every event "failed" with the cause, the file and "resend" once the journal cannot be written, and logs the stall', async () => {
    filler = fillDisk(dataDir);
    for (let f = 0; f < 5; f++) {
      const events = take(10);
      const reply = await send(events);
      expect(reply.accepted).toBe(0);
      expect(reply.failed).toBe(10);
      for (const r of reply.results) {
        expect(r.status).toBe('failed');
        expect(r.issues?.[0]?.message).toMatch(/^not recorded: disk full \(ENOSPC\) writing .*journal\.ndjson; resend$/);
      }
      failedWhileFull.push(...events);
    }
    expect(logLines.filter((l) => l.startsWith('ingest stalled: disk full (ENOSPC) writing') && l.includes(journalFile))).toHaveLength(1);
    const state = await health();
    expect(state.status).toBe('degraded');
    expect(state.ingest).toMatch(/^stalled: disk full \(ENOSPC\) writing .*journal\.ndjson since /);
  });

  it('still rejects a malformed event, saying its dead letter could not be kept, and keeps the connection', async () => {
    const reply = await send([{ kind: 'crossing', eventId: 'bad-while-full' }]);
    expect(reply.rejected).toBe(1);
    expect(reply.results[0]!.issues!.at(-1)!.message).toMatch(/^dead letter not kept: disk full \(ENOSPC\) writing .*dead-letters\.ndjson$/);
    expect(logLines.some((l) => l.startsWith('dead letters not kept: disk full'))).toBe(true);
  });

  it('leaves no partial record when a batch fits only in part, and stays readable', async () => {
    const before = fs.statSync(journalFile).size;
    // A few pages free: a 40-event batch (about 60 KB) is written in part, then refused.
    fs.truncateSync(filler, fs.statSync(filler).size - 3 * 4096);
    const events = take(40);
    const reply = await send(events);
    expect(reply.failed).toBe(40);
    failedWhileFull.push(...events);
    expect(fs.statSync(journalFile).size).toBe(before);
    expect(fs.readFileSync(journalFile, 'utf8').endsWith('\n')).toBe(true);
    for (const line of journalLines()) expect(() => JSON.parse(line) as unknown).not.toThrow();
  });

  it('accepts again without a restart once space returns, and logs that ingest resumed', async () => {
    fs.rmSync(filler);
    for (let i = 0; i < failedWhileFull.length; i += 10) {
      const reply = await send(failedWhileFull.slice(i, i + 10));
      expect(reply.accepted + reply.duplicates).toBe(reply.results.length);
    }
    expect(logLines.some((l) => l.startsWith('ingest resumed:') && l.includes(journalFile))).toBe(true);
    const state = await health();
    expect(state.status).toBe('ok');
    expect(state.ingest).toBe('accepting');
  });

  it('holds alerts in memory while the alert database is full, refuses new events meanwhile, and stores and pushes them once space returns', async () => {
    // Room kept for the journal beyond its end (fallocate --keep-size), so that only SQLite meets a full disk.
    execFileSync('fallocate', ['--keep-size', '--length', String(8 * 1024 * 1024), journalFile]);
    filler = fillDisk(dataDir);
    let refused: IngestReply | undefined;
    for (let f = 0; f < 400 && !refused; f++) {
      const reply = await send(take(5));
      if (reply.failed > 0) refused = reply;
      else expect(reply.accepted).toBe(5);
    }
    expect(refused, 'SQLite never reported a full disk').toBeDefined();
    expect(refused!.results[0]!.issues![0]!.message).toMatch(/^not recorded: disk full \(SQLITE_FULL\) writing .*alerts\.db; resend$/);
    const state = await health();
    expect(state.heldAlerts).toBeGreaterThan(0);
    expect(state.ingest).toMatch(/^stalled: disk full \(SQLITE_FULL\) writing .*alerts\.db/);
    expect(logLines.some((l) => l.startsWith('ingest stalled: disk full (SQLITE_FULL)'))).toBe(true);

    // Triage cannot be stored either: the analyst is told, and the connection stays.
    const lastSeq = alertsIn(subscriber.messages).at(-1)!.seq;
    subscriber.send(JSON.stringify({ type: 'triage', requestId: 't1', seq: lastSeq, action: 'acknowledge', by: 'Aigerim' }));
    await subscriber.until((m) => m.some((x) => (x as { requestId?: string }).requestId === 't1'));
    expect(subscriber.messages.find((x) => (x as { requestId?: string }).requestId === 't1')).toMatchObject({ type: 'error', message: expect.stringMatching(/^triage not stored: .*try again$/) });

    fs.rmSync(filler);
    const held = state.heldAlerts;
    const before = alertsIn(subscriber.messages).length;
    await subscriber.until((m) => alertsIn(m).length >= before + held);
    const resent = refused!.results.map((r) => traffic.find((e) => e.eventId === r.eventId)!);
    expect((await send(resent)).accepted).toBe(resent.length);
    expect((await health()).ingest).toBe('accepting');
    expect(logLines.some((l) => l.startsWith('ingest resumed:') && l.includes('alerts.db'))).toBe(true);
  });

  it('has every acknowledged event in the journal exactly once, and every alert at the subscriber in sequence', async () => {
    await new Promise((resolve) => setTimeout(resolve, 300));
    const ids = journalLines().map((line) => (JSON.parse(line) as { event: { eventId: string } }).event.eventId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids)).toEqual(acked);
    const alerts = alertsIn(subscriber.messages);
    expect(alerts.map((a) => a.seq)).toEqual(alerts.map((_, k) => k + 1));
    expect(alerts.length).toBe(processor.metrics.alerts);
    for (const a of alerts) expect(acked.has(a.alert.eventId)).toBe(true);
    expect(alerts.some((a) => failedWhileFull.some((e) => e.eventId === a.alert.eventId))).toBe(true);
  });

  it('restarts on the same data dir and answers a resend of everything as duplicates', async () => {
    producer.close();
    subscriber.close();
    await processor.close();
    processor = await start();
    producer = new TestClient(`${processor.url}/ingest`);
    await producer.opened();
    const sent = traffic.slice(0, nextEvent).filter((e) => acked.has(e.eventId));
    for (let i = 0; i < sent.length; i += 50) {
      const reply = await send(sent.slice(i, i + 50));
      expect(reply.duplicates).toBe(reply.results.length);
    }
    expect(journalLines()).toHaveLength(acked.size);
  });
});
