import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEAD_LETTER_FILE, DeadLetters, readDeadLetters } from '../../src/journal/dead-letters.ts';
import { Journal, JOURNAL_FILE, readJournal } from '../../src/journal/journal.ts';
import type { BorderEvent } from '../../src/model/event.ts';
import { generated, tempDir } from '../helpers.ts';

const OLD = '2026-01-01T00:00:00.000Z';
const CUTOFF = '2026-02-01T00:00:00.000Z';
const NEW = '2026-03-01T00:00:00.000Z';

const events: BorderEvent[] = generated(400, { seed: 8, plantRate: 0 }).map((g) => g.event);
const durable = (journal: Journal): Promise<Error | null> => new Promise((resolve) => journal.whenDurable(resolve));

describe('deleting old journal records', () => {
  it('keeps the newer records with their numbers, and loses no append made while it runs', async () => {
    const dir = tempDir();
    const journal = Journal.open(dir);
    for (const event of events.slice(0, 200)) journal.append(event, OLD);
    for (const event of events.slice(200, 250)) journal.append(event, NEW);
    expect(await durable(journal)).toBeNull();

    // Appends keep arriving, each turn of the event loop, for as long as the deletion runs.
    const during: { n: number; event: BorderEvent }[] = [];
    const outcomes: Promise<Error | null>[] = [];
    let running = true;
    let next = 250;
    const feed = (): void => {
      if (!running || next >= events.length) return;
      const event = events[next++]!;
      during.push({ n: journal.append(event, NEW), event });
      outcomes.push(durable(journal));
      setImmediate(feed);
    };
    setImmediate(feed);
    const deleted = await journal.deleteReceivedBefore(CUTOFF);
    running = false;
    expect(await Promise.all(outcomes)).toEqual(outcomes.map(() => null));
    await journal.close();

    expect(during.length).toBeGreaterThan(0);
    expect(deleted).toMatchObject({ removed: 200, rewritten: true, deletedUpTo: 200 });
    const records = readJournal(path.join(dir, JOURNAL_FILE));
    // Newer records intact, in order, numbers unchanged; every append made meanwhile there exactly once.
    expect(records.map((r) => r.n)).toEqual([...Array.from({ length: 50 }, (_, i) => 201 + i), ...during.map((d) => d.n)]);
    expect(records.map((r) => r.event.eventId)).toEqual([...events.slice(200, 250), ...during.map((d) => d.event)].map((e) => e.eventId));
    expect(records.every((r) => r.receivedAt >= CUTOFF)).toBe(true);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    // It opens again: numbering continues, deleted ids are forgotten, kept ones remembered.
    const reopened = Journal.open(dir);
    expect(reopened.lastRecord).toBe(250 + during.length);
    expect(reopened.deletedUpTo).toBe(200);
    expect(reopened.has(events[0]!.eventId)).toBe(false);
    expect(reopened.has(events[220]!.eventId)).toBe(true);
    await reopened.close();
  });

  it('forgets the deleted ids at once, leaves a journal with nothing old alone, and keeps numbering after deleting everything', async () => {
    const dir = tempDir();
    const journal = Journal.open(dir);
    for (const event of events.slice(0, 10)) journal.append(event, OLD);
    expect(await durable(journal)).toBeNull();
    const before = fs.statSync(path.join(dir, JOURNAL_FILE));

    const untouched = await journal.deleteReceivedBefore('2025-12-01T00:00:00.000Z');
    expect(untouched).toMatchObject({ removed: 0, rewritten: false });
    expect(fs.statSync(path.join(dir, JOURNAL_FILE)).ino).toBe(before.ino);

    const all = await journal.deleteReceivedBefore(CUTOFF);
    expect(all).toMatchObject({ removed: 10, deletedUpTo: 10 });
    expect(fs.readFileSync(path.join(dir, JOURNAL_FILE), 'utf8')).toBe('');
    // An event older than the retention age is accepted again if resent: its id is forgotten.
    expect(journal.has(events[0]!.eventId)).toBe(false);
    expect(journal.append(events[0]!, NEW)).toBe(11);
    expect(await durable(journal)).toBeNull();
    await journal.close();

    const reopened = Journal.open(dir);
    expect(reopened.lastRecord).toBe(11);
    expect(reopened.append(events[1]!, NEW)).toBe(12);
    await reopened.close();
    expect(readJournal(path.join(dir, JOURNAL_FILE)).map((r) => r.n)).toEqual([11, 12]);
  });

  it('numbers on after a restart when retention emptied the journal', async () => {
    const dir = tempDir();
    const journal = Journal.open(dir);
    for (const event of events.slice(0, 5)) journal.append(event, OLD);
    expect(await durable(journal)).toBeNull();
    await journal.deleteReceivedBefore(CUTOFF);
    await journal.close();
    const reopened = Journal.open(dir);
    expect(reopened.lastRecord).toBe(5);
    expect(reopened.append(events[5]!, NEW)).toBe(6);
    await reopened.close();
  });
});

describe('deleting old dead letters', () => {
  it('keeps the newer ones and every one appended while it runs', async () => {
    const dir = tempDir();
    const letters = new DeadLetters(dir);
    const letter = (at: string, index: number) => ({ at, connection: 'c1', frame: 1, index, issues: [{ path: 'eventId', message: 'missing' }], payload: { name: 'Aliyev' } });
    for (let i = 0; i < 30; i++) letters.append(letter(OLD, i));
    for (let i = 30; i < 40; i++) letters.append(letter(NEW, i));
    await new Promise((resolve) => letters.whenDurable(resolve));
    const trimming = letters.deleteBefore(CUTOFF);
    letters.append(letter(NEW, 40));
    const trimmed = await trimming;
    await letters.close();
    expect(trimmed.removed).toBe(30);
    expect(readDeadLetters(dir).map((l) => l.index)).toEqual(Array.from({ length: 11 }, (_, i) => 30 + i));
    expect(fs.existsSync(path.join(dir, DEAD_LETTER_FILE))).toBe(true);
  });
});
