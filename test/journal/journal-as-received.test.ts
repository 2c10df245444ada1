import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { JOURNAL_FILE, readJournal } from '../../src/journal/journal.ts';
import { EventSchema } from '../../src/model/event.ts';
import { startProcessor } from '../../src/processor.ts';
import { generated, RULES_DIR, STREAMS_DIR, tempDir } from '../helpers.ts';
import { InMemorySource } from '../pipeline/in-memory-source.ts';

/** Generated traffic with airline crossings and cargo among it, as producers send it. */
const events = generated(120, { seed: 47, plantRate: 0.1 }).map((g) => JSON.parse(JSON.stringify(g.event)) as Record<string, unknown>);

async function journalOf(frames: readonly string[]): Promise<{ lines: string[]; dataDir: string }> {
  const dataDir = tempDir();
  const source = new InMemorySource();
  const processor = await startProcessor({ port: 0, dataDir, rulesDir: RULES_DIR, streamsDir: STREAMS_DIR, watchRules: false, fsync: false, log: () => {}, sources: [source] });
  const replies = await source.send(frames);
  await processor.close();
  expect(replies.reduce((n, r) => n + r.accepted, 0)).toBe(events.length);
  return { lines: fs.readFileSync(path.join(dataDir, JOURNAL_FILE), 'utf8').split('\n').filter((l) => l !== ''), dataDir };
}

describe('the journal of events as received', () => {
  it('holds every accepted event as validation gave it, whatever the shape of the frames it came in', async () => {
    const third = events.length / 3;
    const frames = [
      // A compact array, an array written over lines with spaces, NDJSON, and single events written over lines.
      JSON.stringify(events.slice(0, third)),
      `[\n  ${events.slice(third, 2 * third).map((e) => JSON.stringify(e).replaceAll('","', '", "')).join(' ,\n  ')}\n]`,
      events.slice(2 * third, events.length - 5).map((e) => JSON.stringify(e)).join('\r\n'),
      ...events.slice(-5).map((e) => JSON.stringify(e, null, 2)),
    ];
    const { lines, dataDir } = await journalOf(frames);
    const journaled = readJournal(path.join(dataDir, JOURNAL_FILE));
    expect(journaled.map((r) => r.n)).toEqual(events.map((_, i) => i + 1));
    // Exactly what zod's parse gives, for the events the plain checks keep as text and for those zod copies.
    expect(journaled.map((r) => r.event)).toEqual(events.map((e) => EventSchema.parse(e)));
    // The second frame's events keep the spaces they were sent with; every line is a record on its own.
    expect(lines.filter((l) => l.includes('", "')).length).toBeGreaterThan(third / 2);
    for (const line of lines) expect(Object.keys(JSON.parse(line) as object)).toEqual(['n', 'receivedAt', 'event']);
  });

  it('keeps the event zod rewrote, not the text it was sent as', async () => {
    const cargo = events.find((e) => e.kind === 'cargo' && Array.isArray(e.items))!;
    const rewritten = structuredClone(cargo);
    (rewritten.items as { value: { amount: number } }[])[0]!.value.amount = -0;
    const text = JSON.stringify(rewritten).replace('"amount":0', '"amount":-0');
    expect(text).toContain('"amount":-0');
    const dataDir = tempDir();
    const source = new InMemorySource();
    const processor = await startProcessor({ port: 0, dataDir, rulesDir: RULES_DIR, streamsDir: STREAMS_DIR, watchRules: false, fsync: false, log: () => {}, sources: [source] });
    const [reply] = await source.send([text]);
    await processor.close();
    expect(reply).toMatchObject({ accepted: 1 });
    const line = fs.readFileSync(path.join(dataDir, JOURNAL_FILE), 'utf8');
    expect(line).not.toContain('"amount":-0');
    expect(line).toContain('"amount":0');
    expect(readJournal(path.join(dataDir, JOURNAL_FILE))[0]!.event).toEqual(EventSchema.parse(JSON.parse(text)));
  });
});
