import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readJournal } from '../../src/journal/journal.ts';
import type { IngestReply } from '../../src/ingest/protocol.ts';
import type { RecoveryReport } from '../../src/recovery/recover.ts';
import type { SnapshotStatus } from '../../src/recovery/snapshot-schedule.ts';
import { readAlerts } from '../../src/store/read-alert-database.ts';
import { POSTS } from '../../src/generate/region.ts';
import { type AlertMessage, acksIn, addTokens, alertsIn, cleanRunAlertIds, generated, serveInChild, TestClient, tempDir } from '../helpers.ts';

const children: ChildProcess[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

interface Health {
  journalRecords: number;
  processedRecord: number;
  recovery: RecoveryReport;
  snapshots: SnapshotStatus | null;
}

async function health(url: string): Promise<Health> {
  const response = await fetch(`${url.replace(/^ws:/, 'http:')}/health`);
  return (await response.json()) as Health;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const FRAME = 10;

describe('kill -9 under sustained traffic', () => {
  it('restarts from the snapshot plus the journal tail, loses no acknowledged event, processes none twice and gives a resuming subscriber every alert once', async () => {
    const traffic = generated(4_000, { seed: 5150, plantRate: 0.15 }).map((g) => g.event);

    // What a clean, uninterrupted run of the same traffic raises.
    const expected = await cleanRunAlertIds(traffic, FRAME);
    expect(expected.length).toBeGreaterThan(200);

    const dataDir = tempDir();
    const [producerToken, analystToken] = addTokens(path.join(dataDir, 'tokens.json'), [
      { role: 'producer', name: 'test producer', posts: POSTS.map((p) => p.id) },
      { role: 'analyst', name: 'test analyst' },
    ]).map((t) => t.secret);
    const args = ['--snapshot-every', '500', '--snapshot-interval', '0'];
    let server = await serveInChild(dataDir, args);
    children.push(server.child);
    let subscriber = new TestClient(`${server.url}/alerts?since=0`, analystToken);
    let producer = new TestClient(`${server.url}/ingest`, producerToken);
    await Promise.all([subscriber.opened(), producer.opened()]);
    const acked = new Set<string>();
    const answers: IngestReply['results'] = [];
    const track = (client: TestClient): void =>
      void client.socket.on('message', (data) => {
        const reply = JSON.parse(data.toString()) as IngestReply;
        for (const r of reply.results) {
          answers.push(r);
          if ((r.status === 'accepted' || r.status === 'duplicate') && r.eventId) acked.add(r.eventId);
        }
      });
    track(producer);

    // Sustained traffic: a frame every 10 ms (about 1,000 events/s) until the server dies.
    let sent = 0;
    const streaming = (async () => {
      while (sent < traffic.length && producer.socket.readyState === producer.socket.OPEN) {
        producer.send(JSON.stringify(traffic.slice(sent, sent + FRAME)));
        sent += FRAME;
        await sleep(10);
      }
    })();
    // Kill it without warning once a snapshot is on disk and traffic has gone on after it.
    let snapshotRecord = 0;
    for (;;) {
      const h = await health(server.url);
      if (h.snapshots?.last && h.processedRecord > h.snapshots.last.record + 200) {
        snapshotRecord = h.snapshots.last.record;
        break;
      }
      await sleep(50);
    }
    server.child.kill('SIGKILL');
    await once(server.child, 'exit');
    await Promise.all([subscriber.closed, producer.closed, streaming]);
    const before = alertsIn(subscriber.messages);
    expect(acked.size).toBeGreaterThan(0);
    expect(acked.size).toBeLessThan(traffic.length);

    // Restart on the same data dir.
    server = await serveInChild(dataDir, args);
    children.push(server.child);
    const restarted = await health(server.url);
    const journaledAtRestart = restarted.journalRecords;
    // (a) every acknowledged event is in the journal.
    const journalIds = new Set(readJournal(path.join(dataDir, 'journal.ndjson')).map((r) => r.event.eventId));
    for (const id of acked) expect(journalIds.has(id), `acknowledged event ${id} missing from the journal`).toBe(true);
    // (b) recovery used a snapshot (the newest one, at or after the one seen) and replayed only the tail.
    expect(restarted.recovery.from).toBe('snapshot');
    expect(restarted.recovery.snapshot!.record).toBeGreaterThanOrEqual(snapshotRecord);
    expect(restarted.recovery.replayed).toBe(journaledAtRestart - restarted.recovery.snapshot!.record);
    expect(restarted.recovery.replayed).toBeLessThan(journaledAtRestart);
    expect(server.output()).toMatch(new RegExp(`recovered state from snapshot at journal record ${restarted.recovery.snapshot!.record.toLocaleString('en')} \\(\\d+\\.\\d\\d s\\) plus ${restarted.recovery.replayed.toLocaleString('en')} journal record\\(s\\) after it in \\d+\\.\\d\\d s`));

    // (c) the producer resends everything it has no acknowledgement for.
    const lastSeq = before.at(-1)?.seq ?? 0;
    subscriber = new TestClient(`${server.url}/alerts?since=${lastSeq}`, analystToken);
    producer = new TestClient(`${server.url}/ingest`, producerToken);
    await Promise.all([subscriber.opened(), producer.opened()]);
    answers.length = 0;
    track(producer);
    const unacked = traffic.filter((e) => !acked.has(e.eventId));
    // Journaled before the crash but not acknowledged: the resend is answered as a duplicate.
    const journaledUnacked = journaledAtRestart - acked.size;
    for (let i = 0; i < unacked.length; i += FRAME) producer.send(JSON.stringify(unacked.slice(i, i + FRAME)));
    await producer.until((m) => acksIn(m).length === Math.ceil(unacked.length / FRAME), 60_000);
    expect(answers).toHaveLength(unacked.length);
    expect(answers.filter((a) => a.status !== 'accepted' && a.status !== 'duplicate')).toEqual([]);
    expect(answers.filter((a) => a.status === 'duplicate')).toHaveLength(journaledUnacked);
    expect(acked.size).toBe(traffic.length);

    // (d) the resuming subscriber gets every alert once.
    await subscriber.until((m) => before.length + alertsIn(m).length >= expected.length, 60_000);
    await sleep(300);
    const all: AlertMessage[] = [...before, ...alertsIn(subscriber.messages)];
    expect(all.map((m) => m.seq)).toEqual(all.map((_, k) => k + 1));
    expect(all.map((m) => m.alert.alertId).sort()).toEqual(expected);

    // Each event journaled once, and processed once: one alert per alert id, one event alert per event.
    const journal = readJournal(path.join(dataDir, 'journal.ndjson'));
    expect(journal).toHaveLength(traffic.length);
    expect(new Set(journal.map((r) => r.event.eventId)).size).toBe(traffic.length);
    const stored = readAlerts(path.join(dataDir, 'alerts.db')).map((r) => r.alert);
    expect(new Set(stored.map((a) => a.alertId)).size).toBe(stored.length);
    const eventAlerts = stored.filter((a) => a.trigger === 'event').map((a) => a.eventId);
    expect(new Set(eventAlerts).size).toBe(eventAlerts.length);
    expect(stored.map((a) => a.alertId).sort()).toEqual(expected);
  }, 240_000);
});
