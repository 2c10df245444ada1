import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../src/alert/alert.ts';
import { personalValues } from '../../src/auth/mask-alert.ts';
import { readDeadLetters } from '../../src/journal/dead-letters.ts';
import { JOURNAL_FILE, readJournal } from '../../src/journal/journal.ts';
import type { BorderEvent } from '../../src/model/event.ts';
import { type Processor, startProcessor } from '../../src/processor.ts';
import { openLiveRecording } from '../../src/record/live-recording.ts';
import { readRecording, segmentFiles } from '../../src/record/read-recording.ts';
import { Recorder, segmentName } from '../../src/record/recorder.ts';
import { listSnapshots } from '../../src/recovery/snapshot-file.ts';
import type { RetentionStatus } from '../../src/retention/retention-job.ts';
import type { TriageState } from '../../src/triage/triage.ts';
import { acksIn, generated, ROOT, RULES_DIR, serveInChild, STREAMS_DIR, TestClient, tempDir } from '../helpers.ts';

const DAY = 86_400_000;
const T0 = Date.parse('2026-01-10T08:00:00.000Z');
const RETAIN = 30 * DAY;

type ApiAlert = { seq: number; alert: Alert; triage: TriageState };

/**
 * A processor on `dataDir` whose clock is `clock.now`, with retention at startup and then
 * every 50 ms, or every `everyMs`: a test that reads what one run removed runs it once,
 * since on a loaded machine a later run (which finds nothing left) may be the one it reads.
 */
function start(dataDir: string, clock: { now: number }, extra: { retention?: boolean; snapshots?: boolean; everyMs?: number } = {}): Promise<Processor> {
  return startProcessor({
    port: 0, dataDir, rulesDir: RULES_DIR, streamsDir: STREAMS_DIR, watchRules: false, log: () => {},
    now: () => clock.now,
    snapshots: extra.snapshots ?? true,
    ...(extra.retention !== false && { retention: { maxAgeMs: RETAIN, everyMs: extra.everyMs ?? 50 } }),
  });
}

const http = (p: Processor, route: string): Promise<unknown> => fetch(`${p.url.replace(/^ws/, 'http')}${route}`).then((r) => r.json());
const health = (p: Processor) => http(p, '/health') as Promise<{ retention: RetentionStatus; journalRecords: number; alerts: { lastSeq: number }; recovery: { from: string; refused: unknown[]; replayed: number } }>;

/** Waits until a retention run that started at or after `since` (the injected clock) has finished. */
async function retentionRunSince(p: Processor, since: number): Promise<RetentionStatus> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const { retention } = await health(p);
    if (retention.last && Date.parse(retention.last.at) >= since && !retention.running) return retention;
    if (Date.now() > deadline) throw new Error(`no retention run since ${new Date(since).toISOString()}: ${JSON.stringify(retention)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Sends the events in frames of 20 (and one invalid event), and waits for every answer. */
async function send(p: Processor, events: readonly BorderEvent[], invalidId: string): Promise<void> {
  const producer = new TestClient(`${p.url}/ingest`);
  await producer.opened();
  let frames = 0;
  for (let i = 0; i < events.length; i += 20, frames++) producer.send(JSON.stringify(events.slice(i, i + 20)));
  producer.send(JSON.stringify({ kind: 'crossing', eventId: invalidId, traveller: { familyName: 'NOTVALID' } }));
  await producer.until((m) => acksIn(m).length === frames + 1);
  producer.close();
}

const wordOf = (value: string): RegExp => new RegExp(`(?<![\\p{L}\\p{N}])${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}\\p{N}])`, 'iu');

describe('retention in a running processor', () => {
  const dataDir = tempDir();
  const clock = { now: T0 };
  const traffic = generated(800, { seed: 88, plantRate: 0.15 }).map((g) => g.event);
  const oldEvents = traffic.slice(0, 400);
  const newEvents = traffic.slice(400);
  let processor: Processor;
  let oldAlerts: ApiAlert[] = [];
  let newAlerts: ApiAlert[] = [];
  let outcomesBefore: unknown;
  let noted: ApiAlert;
  let retention: RetentionStatus;
  let oldRecords = 0;

  beforeAll(async () => {
    processor = await start(dataDir, clock);
    await send(processor, oldEvents, 'bad-old');
    oldRecords = (await health(processor)).journalRecords;
    const lastOld = (await health(processor)).alerts.lastSeq;
    oldAlerts = await Promise.all(Array.from({ length: lastOld }, (_, i) => http(processor, `/api/alerts/${i + 1}`) as Promise<ApiAlert>));
    // An analyst triages an old alert and writes the traveller's name into a note.
    noted = oldAlerts.find((a) => a.alert.event.kind === 'crossing' && personalValues(a.alert).size > 0)!;
    const analyst = new TestClient(`${processor.url}/alerts`);
    await analyst.opened();
    const familyName = noted.alert.event.kind === 'crossing' ? noted.alert.event.traveller.familyName : '';
    analyst.send(JSON.stringify({ type: 'triage', requestId: 'n1', seq: noted.seq, action: 'dismiss', reason: 'false-positive', by: 'Aigerim', note: `spoke to ${familyName} at the desk` }));
    await analyst.until((m) => m.some((x) => (x as { requestId?: string }).requestId === 'n1'));
    analyst.close();

    // 31 days later: new traffic, and the scheduled job finds the first batch past the retention age.
    clock.now = T0 + 31 * DAY;
    await send(processor, newEvents, 'bad-new');
    const lastNew = (await health(processor)).alerts.lastSeq;
    newAlerts = await Promise.all(Array.from({ length: lastNew - lastOld }, (_, i) => http(processor, `/api/alerts/${lastOld + i + 1}`) as Promise<ApiAlert>));
    outcomesBefore = await http(processor, '/api/rules/outcomes');
    retention = await retentionRunSince(processor, clock.now);
  }, 60_000);
  afterAll(() => processor.close());

  it('has something to remove: old alerts with personal data, and new ones', () => {
    expect(oldAlerts.length).toBeGreaterThan(5);
    expect(newAlerts.length).toBeGreaterThan(5);
    expect(oldAlerts.filter((a) => personalValues(a.alert).size > 0).length).toBeGreaterThan(3);
  });

  it('reports its runs in /health', () => {
    expect(retention).toMatchObject({ enabled: true, maxAgeMs: RETAIN, everyMs: 50, failures: 0 });
    expect(retention.runs).toBeGreaterThan(1);
    expect(retention.last!.before).toBe(new Date(clock.now - RETAIN).toISOString());
    expect(retention.last!.errors).toEqual([]);
  });

  it('deletes the old journal records and keeps the new ones with their record numbers', () => {
    const records = readJournal(path.join(dataDir, JOURNAL_FILE));
    expect(records.map((r) => r.event.eventId)).toEqual(newEvents.map((e) => e.eventId));
    expect(records.map((r) => r.n)).toEqual(newEvents.map((_, i) => oldRecords + 1 + i));
    expect(records.every((r) => Date.parse(r.receivedAt) === T0 + 31 * DAY)).toBe(true);
  });

  it('deletes the old dead letters and keeps the new', () => {
    expect(readDeadLetters(dataDir).map((l) => l.eventId)).toEqual(['bad-new']);
  });

  it('depersonalises the old alerts in the database: no personal value of their event is left, nor the note', () => {
    const db = new Database(path.join(dataDir, 'alerts.db'), { readonly: true });
    try {
      const rows = db.prepare('SELECT seq, alert, depersonalised_at AS at FROM alerts ORDER BY seq').all() as { seq: number; alert: string; at: string | null }[];
      let checked = 0;
      for (const before of oldAlerts) {
        const row = rows.find((r) => r.seq === before.seq)!;
        expect(row.at).not.toBeNull();
        for (const [value, kind] of personalValues(before.alert)) {
          expect(row.alert, `alert ${before.seq} still holds ${value}`).not.toMatch(wordOf(value));
          if (kind === 'dob') expect(row.alert).not.toContain(`${value.slice(0, 4)}-XX-XX`);
          checked += 1;
        }
        // What rule authors count stays: the rules, severity and alert id.
        const after = JSON.parse(row.alert) as Alert;
        expect(after.indicators.map((i) => i.id)).toEqual(before.alert.indicators.map((i) => i.id));
        expect([after.alertId, after.severity, after.score]).toEqual([before.alert.alertId, before.alert.severity, before.alert.score]);
      }
      expect(checked).toBeGreaterThan(10);
      const notes = db.prepare('SELECT note FROM triage WHERE seq = ?').all(noted.seq) as { note: string | null }[];
      expect(notes).toEqual([{ note: null }]);
      const state = db.prepare('SELECT state FROM triage_state WHERE seq = ?').get(noted.seq) as { state: string };
      expect(state.state).not.toContain('spoke to');
      // New alerts untouched.
      for (const before of newAlerts) {
        const row = rows.find((r) => r.seq === before.seq)!;
        expect(row.at).toBeNull();
        expect(JSON.parse(row.alert)).toEqual(before.alert);
      }
    } finally {
      db.close();
    }
  });

  it('serves the depersonalised alert through the API, with its triage outcome and no note', async () => {
    const after = (await http(processor, `/api/alerts/${noted.seq}`)) as ApiAlert;
    const text = JSON.stringify(after);
    for (const value of personalValues(noted.alert).keys()) expect(text).not.toMatch(wordOf(value));
    expect(after.triage).toMatchObject({ status: 'dismissed', outcome: 'false-positive' });
    expect(after.triage.history.map((h) => [h.action, h.by, h.note])).toEqual([['dismiss', 'Aigerim', undefined]]);
  });

  it('leaves the rule outcome counts as they were', async () => {
    expect(await http(processor, '/api/rules/outcomes')).toEqual(outcomesBefore);
  });

  it('does not depersonalise again on the next runs', async () => {
    const later = await retentionRunSince(processor, clock.now);
    expect(later.last!.alerts).toEqual({ depersonalised: 0 });
    expect(later.last!.journal!.removed).toBe(0);
  });

  it('restarts from the snapshot, then from the remaining journal alone, raising nothing twice and losing no new event', async () => {
    const lastSeq = (await health(processor)).alerts.lastSeq;
    await processor.close();
    processor = await start(dataDir, clock);
    let h = await health(processor);
    expect(h.recovery).toMatchObject({ from: 'snapshot', refused: [] });
    expect(h.alerts.lastSeq).toBe(lastSeq);
    await processor.close();

    processor = await start(dataDir, clock, { snapshots: false });
    h = await health(processor);
    expect(h.recovery).toMatchObject({ from: 'journal', refused: [], replayed: newEvents.length });
    expect(h.alerts.lastSeq).toBe(lastSeq);
    expect(h.journalRecords).toBe(oldRecords + newEvents.length);
    // A new event resent is a duplicate; an event past the retention age is accepted as new (its id is forgotten).
    const producer = new TestClient(`${processor.url}/ingest`);
    await producer.opened();
    producer.send(JSON.stringify([newEvents[0], oldEvents[0]]));
    await producer.until((m) => acksIn(m).length === 1);
    expect(acksIn(producer.messages)[0]!.results.map((r) => r.status)).toEqual(['duplicate', 'accepted']);
    producer.close();
    expect(readJournal(path.join(dataDir, JOURNAL_FILE)).at(-1)!.n).toBe(oldRecords + newEvents.length + 1);
  });
});

describe('retention after traffic stopped for longer than the retention age', () => {
  it('deletes the whole journal and the snapshot of it, and the next start recovers and numbers on', async () => {
    const dataDir = tempDir();
    const clock = { now: T0 };
    const events = generated(120, { seed: 5, plantRate: 0.1 }).map((g) => g.event);
    let processor = await start(dataDir, clock, { retention: false });
    await send(processor, events.slice(0, 100), 'bad-1');
    await processor.close();
    const snapshotsDir = path.join(dataDir, 'snapshots');
    expect(listSnapshots(snapshotsDir).map((s) => s.record)).toEqual([100]);
    const kept = { file: listSnapshots(snapshotsDir)[0]!.file, bytes: fs.readFileSync(listSnapshots(snapshotsDir)[0]!.file) };

    // Restarted 40 days later with retention: everything is past the age.
    clock.now = T0 + 40 * DAY;
    // Only the run at startup: it is the one that finds everything past the age.
    processor = await start(dataDir, clock, { everyMs: 3_600_000 });
    expect(processor.recovery).toMatchObject({ from: 'snapshot', refused: [] });
    const run = await retentionRunSince(processor, clock.now);
    expect(run.runs).toBe(1);
    expect(run.last).toMatchObject({ journal: { removed: 100, deletedUpTo: 100 }, deadLetters: { removed: 1 }, errors: [] });
    expect(run.last!.snapshots!.removed).toHaveLength(1);
    expect(fs.readFileSync(path.join(dataDir, JOURNAL_FILE), 'utf8')).toBe('');
    expect(listSnapshots(snapshotsDir)).toEqual([]);
    await processor.close();

    // Had it stopped between deleting the journal records and the snapshot, the snapshot is refused, saying why.
    fs.writeFileSync(path.join(snapshotsDir, path.basename(kept.file)), kept.bytes);
    processor = await start(dataDir, clock, { retention: false });
    expect(processor.recovery).toMatchObject({ from: 'journal', replayed: 0 });
    expect(processor.recovery.refused).toEqual([{ file: kept.file, reason: expect.stringMatching(/^retention deleted its journal record 100 \(records up to 100 are gone\)/) }]);
    await send(processor, events.slice(100), 'bad-2');
    await processor.close();

    // The journal now starts at 101; the snapshot written at the stop fits it.
    processor = await start(dataDir, clock, { retention: false });
    const h = await health(processor);
    expect(h.recovery).toMatchObject({ from: 'snapshot', refused: [] });
    expect(h.journalRecords).toBe(120);
    expect(readJournal(path.join(dataDir, JOURNAL_FILE)).map((r) => r.n)).toEqual(Array.from({ length: 20 }, (_, i) => 101 + i));
    await processor.close();

    // Without snapshots, the remaining journal alone.
    processor = await start(dataDir, clock, { retention: false, snapshots: false });
    expect(processor.recovery).toMatchObject({ from: 'journal', replayed: 20, refused: [] });
    await processor.close();
  }, 60_000);
});

describe('retention of a live recording', () => {
  it('rolls the segment at each run and deletes the segments of deleted journal records, keeping every newer event', async () => {
    const dataDir = tempDir();
    const recordDir = path.join(tempDir(), 'live');
    const clock = { now: T0 };
    const events = generated(300, { seed: 9 }).map((g) => g.event);
    const { recorder } = openLiveRecording(recordDir, dataDir, { flushMs: 0, batchEvents: 16, fsync: false });
    const processor = await startProcessor({
      port: 0, dataDir, rulesDir: RULES_DIR, streamsDir: STREAMS_DIR, watchRules: false, log: () => {}, fsync: false,
      now: () => clock.now,
      retention: { maxAgeMs: RETAIN, everyMs: 50 },
      onJournaled: (journaled) => recorder.append(journaled),
      recording: recorder,
    });
    try {
      await send(processor, events.slice(0, 200), 'bad-old');
      // A run that starts after the old events (the clock moved on a millisecond) closes the segment they are in: nothing new can join it.
      clock.now += 1;
      await retentionRunSince(processor, clock.now);
      const oldSegments = segmentFiles(recordDir);
      expect(oldSegments.length).toBeGreaterThan(0);
      expect([...readRecording(recordDir)].map((r) => r.n)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));

      clock.now = T0 + RETAIN + DAY;
      await send(processor, events.slice(200), 'bad-new');
      // A run that starts after every new event was recorded: it writes those waiting for a full batch.
      clock.now += 1;
      const run = await retentionRunSince(processor, clock.now);
      // This run or one before it since the clock moved deleted the old journal records.
      expect(run.last).toMatchObject({ journal: { deletedUpTo: 200 }, errors: [] });
      // This run or an earlier one since the clock moved deleted the old segments; every later run finds none.
      const left = [...readRecording(recordDir)];
      expect(left.map((r) => r.n)).toEqual(Array.from({ length: 100 }, (_, i) => 201 + i));
      expect(left.map((r) => r.event.eventId)).toEqual(events.slice(200).map((e) => e.eventId));
      for (const file of oldSegments) expect(fs.existsSync(file)).toBe(false);
      expect(run.last!.recording).toEqual({ removed: expect.any(Array) });
    } finally {
      await processor.close();
      recorder.close();
    }
    // The recording still opens, and goes on numbering after what it holds.
    const reopened = openLiveRecording(recordDir, dataDir, { flushMs: 0, fsync: false });
    expect(reopened.recorder.lastRecorded).toBe(300);
    expect(reopened.caughtUp).toBe(0);
    reopened.recorder.close();
  }, 60_000);

  it('deletes a segment only when all of its records are gone from the journal', () => {
    const dir = path.join(tempDir(), 'rec');
    const recorder = Recorder.open(dir, { flushMs: 0, batchEvents: 10, segmentEvents: 10, fsync: false });
    const events = generated(25, { seed: 3 }).map((g) => g.event);
    events.forEach((event, i) => {
        recorder.append({ n: i + 1, event });
      });
    // Segments 1–10 and 11–20 are written; 21–25 wait for a full batch.
    expect(segmentFiles(dir).map((f) => path.basename(f))).toEqual([segmentName(1), segmentName(11)]);
    expect(recorder.deleteRecordedUpTo(15)).toEqual([path.join(dir, segmentName(1))]);
    // The newest file is kept while events wait to be written: they might go into it.
    expect(recorder.deleteRecordedUpTo(25)).toEqual([]);
    recorder.roll();
    expect(segmentFiles(dir).map((f) => path.basename(f))).toEqual([segmentName(11), segmentName(21)]);
    expect(recorder.deleteRecordedUpTo(24)).toEqual([path.join(dir, segmentName(11))]);
    expect(recorder.deleteRecordedUpTo(25)).toEqual([path.join(dir, segmentName(21))]);
    expect(segmentFiles(dir)).toEqual([]);
    // The next event starts a segment of its own.
    recorder.append({ n: 26, event: events[0]! });
    recorder.roll();
    expect([...readRecording(dir)].map((r) => r.n)).toEqual([26]);
    recorder.close();
  });
});

describe('retention options', () => {
  it('are refused with a clear error when they cannot work', async () => {
    const dataDir = tempDir();
    await expect(startProcessor({ port: 0, dataDir, rulesDir: RULES_DIR, streamsDir: STREAMS_DIR, watchRules: false, log: () => {}, retention: { maxAgeMs: 0 } })).rejects.toThrow(/retention maxAgeMs must be at least 60000/);
    await expect(startProcessor({ port: 0, dataDir, rulesDir: RULES_DIR, streamsDir: STREAMS_DIR, watchRules: false, log: () => {}, retention: { maxAgeMs: DAY, everyMs: 0.5 } })).rejects.toThrow(/everyMs must be a whole number/);
  });

  it('warn when shorter than a rule looks back, naming the rules', async () => {
    const lines: string[] = [];
    const p = await startProcessor({ port: 0, dataDir: tempDir(), rulesDir: RULES_DIR, streamsDir: STREAMS_DIR, watchRules: false, log: (l) => lines.push(l), retention: { maxAgeMs: 60 * DAY } });
    await p.close();
    const warning = lines.find((l) => l.startsWith('retention warning'));
    expect(warning).toMatch(/cargo\.first-time-consignee 365 d/);
    expect(warning).not.toMatch(/crossing\.exit-afghanistan/);
  });
});

describe('border-risk serve --retain-days', () => {
  it('refuses a value that is not a whole number of days, saying what to give', () => {
    const result = spawnSync(process.execPath, ['bin/border-risk.js', 'serve', '--port', '0', '--data-dir', tempDir(), '--retain-days', '0.5'], { cwd: ROOT, encoding: 'utf8' });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/--retain-days must be a whole number of days ≥ 1, got "0\.5"/);
  });

  /** Waits for the end of serve's startup lines. */
  const started = async (output: () => string): Promise<string> => {
    const deadline = Date.now() + 10_000;
    while (!/Ctrl-C stops/.test(output()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    return output();
  };

  it('says at startup whether retention is on, and reports it in /health', async () => {
    const off = await serveInChild(tempDir());
    await started(off.output);
    off.child.kill('SIGTERM');
    await new Promise((resolve) => off.child.once('exit', resolve));
    expect(off.output()).toMatch(/retention: off, events, dead letters and alerts are kept/);

    const on = await serveInChild(tempDir(), ['--retain-days', '400']);
    try {
      const health = (await fetch(`${on.url.replace(/^ws/, 'http')}/health`).then((r) => r.json())) as { retention: RetentionStatus };
      expect(health.retention).toMatchObject({ enabled: true, maxAgeMs: 400 * DAY, everyMs: 3_600_000 });
      expect(await started(on.output)).toMatch(/retention: every hour, journal records, dead letters and snapshots older than 400 day\(s\) are deleted/);
    } finally {
      on.child.kill('SIGTERM');
      await new Promise((resolve) => on.child.once('exit', resolve));
    }
  }, 30_000);
});
