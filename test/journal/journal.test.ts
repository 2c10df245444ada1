import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Journal, JOURNAL_FILE, readJournal } from '../../src/journal/journal.ts';
import type { BorderEvent } from '../../src/model/event.ts';
import { generated, tempDir } from '../helpers.ts';

const events = generated(5, { seed: 3, plantRate: 0 }).map((g) => g.event as BorderEvent);

function durable(journal: Journal): Promise<void> {
  return new Promise((resolve, reject) => journal.whenDurable((e) => (e ? reject(e) : resolve())));
}

describe('Journal', () => {
  it('numbers records in order and remembers event ids across a reopen', async () => {
    const dir = tempDir();
    const journal = Journal.open(dir);
    for (const e of events.slice(0, 3)) journal.append(e, '2026-11-22T00:00:00.000Z');
    await durable(journal);
    await journal.close();

    const reopened = Journal.open(dir);
    expect(reopened.has(events[0]!.eventId)).toBe(true);
    expect(reopened.has(events[3]!.eventId)).toBe(false);
    expect(reopened.append(events[3]!, '2026-11-22T00:00:01.000Z')).toBe(4);
    await reopened.close();
    expect(readJournal(path.join(dir, JOURNAL_FILE)).map((r) => [r.n, r.event.eventId])).toEqual(
      events.slice(0, 4).map((e, i) => [i + 1, e.eventId]),
    );
  });

  it('cuts off a record a crash left half-written and keeps the complete ones', async () => {
    const dir = tempDir();
    const journal = Journal.open(dir);
    journal.append(events[0]!, '2026-11-22T00:00:00.000Z');
    await journal.close();
    const file = path.join(dir, JOURNAL_FILE);
    fs.appendFileSync(file, '{"n":2,"receivedAt":"2026-11-22T00:00:0');

    const reopened = Journal.open(dir);
    expect(reopened.lastRecord).toBe(1);
    reopened.append(events[1]!, '2026-11-22T00:00:02.000Z');
    await reopened.close();
    expect(readJournal(file).map((r) => r.event.eventId)).toEqual([events[0]!.eventId, events[1]!.eventId]);
  });

  it('writes an event given without its text as JSON.stringify writes the record, as journals were always written', async () => {
    const dir = tempDir();
    const journal = Journal.open(dir);
    journal.append(events[0]!, '2026-11-22T00:00:00.000Z');
    await journal.close();
    const line = fs.readFileSync(path.join(dir, JOURNAL_FILE), 'utf8');
    expect(line).toBe(`${JSON.stringify({ n: 1, receivedAt: '2026-11-22T00:00:00.000Z', event: events[0] })}\n`);
  });

  it('keeps the text an event was received as, and reads it back as the event, across a reopen', async () => {
    const dir = tempDir();
    const journal = Journal.open(dir);
    // As a producer may write it: with spaces between the tokens.
    const received = events.slice(0, 3).map((e) => JSON.stringify(e, null, 1).replaceAll('\n', ' '));
    for (const text of received) journal.append(JSON.parse(text) as BorderEvent, '2026-11-22T00:00:00.000Z', text);
    await durable(journal);
    await journal.close();
    const file = path.join(dir, JOURNAL_FILE);
    const lines = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');
    expect(lines.map((l) => l.slice(l.indexOf('"event":') + 8, -1))).toEqual(received);
    expect(readJournal(file).map((r) => r.event)).toEqual(events.slice(0, 3));
    const reopened = Journal.open(dir);
    expect(reopened.owner(events[2]!.eventId)).toBe(events[2]!.post);
    expect(reopened.lastRecord).toBe(3);
    await reopened.close();
  });

  it('forgets the oldest ids beyond its bound', async () => {
    const journal = Journal.open(tempDir(), { maxRememberedIds: 2 });
    for (const e of events.slice(0, 3)) journal.append(e, '2026-11-22T00:00:00.000Z');
    expect(journal.has(events[0]!.eventId)).toBe(false);
    expect(journal.has(events[2]!.eventId)).toBe(true);
    await journal.close();
  });
});
