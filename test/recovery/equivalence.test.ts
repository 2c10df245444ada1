import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Alert } from '../../src/alert/alert.ts';
import { Journal } from '../../src/journal/journal.ts';
import type { Cargo } from '../../src/model/cargo.ts';
import type { BorderEvent } from '../../src/model/event.ts';
import { type Processor, startProcessor } from '../../src/processor.ts';
import { AlertStore } from '../../src/store/alert-store.ts';
import { crossingAt, generated, RULES_DIR, STREAMS_DIR, TestClient, tempDir } from '../helpers.ts';

const processors: Processor[] = [];
afterEach(async () => {
  for (const p of processors.splice(0)) await p.close();
});

async function start(dataDir: string): Promise<Processor> {
  const processor = await startProcessor({ port: 0, dataDir, rulesDir: RULES_DIR, streamsDir: STREAMS_DIR, watchRules: false, snapshotEveryEvents: 0, snapshotEveryMs: 0, log: () => {} });
  processors.push(processor);
  return processor;
}

async function send(processor: Processor, events: readonly BorderEvent[]): Promise<void> {
  const producer = new TestClient(`${processor.url}/ingest`);
  await producer.opened();
  for (let i = 0; i < events.length; i += 10) producer.send(JSON.stringify(events.slice(i, i + 10)));
  await producer.until((m) => m.length === Math.ceil(events.length / 10), 60_000);
  producer.close();
}

async function stop(processor: Processor): Promise<void> {
  processors.splice(processors.indexOf(processor), 1);
  await processor.close();
}

function storedAlerts(dataDir: string): Alert[] {
  const store = new AlertStore(path.join(dataDir, 'alerts.db'));
  const alerts = store.since(0, 1_000_000).map((s) => s.alert);
  store.close();
  return alerts;
}

const SNAPSHOT_AT = 1_500;
const TAIL_TO = 2_500;

/**
 * Generated traffic with planted cases, and events placed around the snapshot point so
 * that state from before it decides alerts after it: a window whose third entry comes
 * after it, a sequence whose exit comes before it, an absence pending across it (event
 * time jumps 31 days at the very end), and an HS code whose weight-per-package baseline is
 * learnt before it and broken after it.
 */
const PLANTED = {
  windowFirst: 'window-1',
  windowSecond: 'window-2',
  windowThird: 'window-3',
  sequenceExit: 'sequence-exit',
  sequenceEntry: 'sequence-entry',
  absenceExit: 'absence-exit',
  heavy: 'heavy-cargo',
} as const;

function traffic(): { events: BorderEvent[]; planted: typeof PLANTED } {
  const events: BorderEvent[] = generated(4_000, { seed: 909, plantRate: 0.15 }).map((g) => g.event);
  const at = (index: number, event: BorderEvent): void => {
    // At the newest event time so far: on time for its stream.
    const newest = events.slice(0, index).reduce((t, e) => (e.eventTime > t ? e.eventTime : t), events[0]!.eventTime);
    events.splice(index, 0, { ...event, eventTime: new Date(Date.parse(newest)).toISOString() });
  };
  const template = events.find((e): e is Cargo => e.kind === 'cargo')!;
  const cargo = (id: string, grossKg: number): Cargo => ({
    ...structuredClone(template),
    eventId: id,
    declarationId: `TEST/${id}`,
    containerIds: [],
    seals: [],
    items: [{ hsCode: '847130', description: 'portable computers', packages: 10, grossKg, netKg: grossKg * 0.9, value: { amount: grossKg * 300, currency: 'USD' } }],
  });
  for (let i = 0; i < 40; i++) at(300 + i * 25, cargo(`baseline-${i}`, 100 + (i % 7)));
  const planted = PLANTED;
  const crossing = (id: string, post: string, direction: 'entry' | 'exit', number: string) => ({ ...crossingAt(post, direction, 0, number), eventId: id });
  at(1_400, crossing(planted.windowFirst, 'KZ-KORDAY', 'entry', 'W0000001'));
  at(1_420, crossing(planted.sequenceExit, 'UZ-AYRITOM', 'exit', 'S0000001'));
  at(1_430, crossing(planted.absenceExit, 'UZ-AYRITOM', 'exit', 'A0000001'));
  at(1_450, crossing(planted.windowSecond, 'KZ-NURZHOLY', 'entry', 'W0000001'));
  at(1_600, crossing(planted.windowThird, 'KZ-KORDAY', 'entry', 'W0000001'));
  at(1_700, crossing(planted.sequenceEntry, 'TJ-PANJIPOYON', 'entry', 'S0000001'));
  at(2_200, cargo(planted.heavy, 4_000));
  const last = events.at(-1)!;
  events.push({ ...crossingAt('KZ-KORDAY', 'entry', 0, 'Z0000001'), eventId: 'month-later', eventTime: new Date(Date.parse(last.eventTime) + 31 * 86_400_000).toISOString() });
  return { events, planted };
}

describe('restart from a snapshot plus the journal tail', () => {
  it('raises exactly the alerts of an uninterrupted run, including those that need state from before the snapshot', async () => {
    const { events, planted } = traffic();

    const cleanDir = tempDir();
    const clean = await start(cleanDir);
    await send(clean, events);
    await stop(clean);
    const expected = storedAlerts(cleanDir);

    // Run to record N; a clean stop writes the snapshot at N.
    const dataDir = tempDir();
    const first = await start(dataDir);
    await send(first, events.slice(0, SNAPSHOT_AT));
    await stop(first);
    // Events acknowledged but not processed when the process died: journaled, after the snapshot.
    const journal = Journal.open(dataDir);
    for (const event of events.slice(SNAPSHOT_AT, TAIL_TO)) journal.append(event, new Date().toISOString());
    await journal.close();
    // Restart: snapshot plus tail, then live traffic again.
    const second = await start(dataDir);
    expect(second.recovery).toMatchObject({ from: 'snapshot', snapshot: { record: SNAPSHOT_AT }, replayed: TAIL_TO - SNAPSHOT_AT, afterCheckpoint: TAIL_TO - SNAPSHOT_AT });
    await send(second, events.slice(TAIL_TO));
    await stop(second);
    const got = storedAlerts(dataDir);

    expect(expected.length).toBeGreaterThan(100);
    expect(got.map((a) => a.alertId)).toEqual(expected.map((a) => a.alertId));
    // Rule ids, event ids, evidence, groups: the whole alert.
    expect(got).toEqual(expected);

    // The planted state really spanned the snapshot: each of these alerts needs what was held before it.
    const about = (eventId: string, trigger = 'event') => got.find((a) => a.eventId === eventId && a.trigger === trigger);
    const rulesOf = (a: Alert | undefined) => a?.indicators.map((i) => i.id) ?? [];
    const recordOf = (eventId: string) => got.find((a) => a.eventId === eventId)?.journalRecord ?? events.findIndex((e) => e.eventId === eventId) + 1;
    expect(recordOf(planted.windowFirst)).toBeLessThanOrEqual(SNAPSHOT_AT);
    expect(recordOf(planted.windowThird)).toBeGreaterThan(SNAPSHOT_AT);
    expect(rulesOf(about(planted.windowThird))).toContain('crossing.repeated-entries-several-posts');
    const held = about(planted.windowThird)!.indicators.find((i) => i.id === 'crossing.repeated-entries-several-posts')!.evidence.find((e) => e.field === 'window held')!.actual as { eventId: string }[];
    expect(held.map((h) => h.eventId)).toEqual([planted.windowFirst, planted.windowSecond, planted.windowThird]);
    expect(rulesOf(about(planted.sequenceEntry))).toContain('crossing.afghan-exit-then-entry-elsewhere');
    const absence = about(planted.absenceExit, 'absence');
    expect(rulesOf(absence)).toEqual(['crossing.afghan-exit-no-return']);
    expect(absence!.journalRecord).toBeLessThanOrEqual(SNAPSHOT_AT);
    expect(rulesOf(about(planted.heavy))).toContain('cargo.weight-per-package-anomaly');
    expect(got.some((a) => (a.group?.count ?? 0) > 1)).toBe(true);
  }, 180_000);
});
