import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { produce } from '../../src/generate/producer.ts';
import { JOURNAL_FILE, readJournal } from '../../src/journal/journal.ts';
import { type ProcessorOptions, startProcessor } from '../../src/processor.ts';
import { openLiveRecording } from '../../src/record/live-recording.ts';
import { readRecording } from '../../src/record/read-recording.ts';
import { generated, RULES_DIR, STREAMS_DIR, tempDir } from '../helpers.ts';

const start = (dataDir: string, onJournaled?: ProcessorOptions['onJournaled']) =>
  startProcessor({ port: 0, dataDir, rulesDir: RULES_DIR, streamsDir: STREAMS_DIR, fsync: false, watchRules: false, log: () => {}, ...(onJournaled && { onJournaled }) });

describe('live recording from a processor', () => {
  it('catches up from the journal at start and then records every accepted event, so nothing acknowledged is missing', async () => {
    const dataDir = tempDir();
    const recordDir = path.join(tempDir(), 'recording');
    const events = generated(300, { seed: 11 }).map((g) => g.event);

    // A first run without recording journals 100 events.
    let processor = await start(dataDir);
    const first = await produce(events.slice(0, 100)[Symbol.iterator](), { url: `${processor.url}/ingest`, batch: 10 });
    await processor.close();
    expect(first.accepted).toBe(100);

    // The next run records: it catches up on those 100, then records live, duplicates and rejects left out.
    const { recorder, caughtUp } = openLiveRecording(recordDir, dataDir, { flushMs: 0, batchEvents: 64, segmentEvents: 120 });
    expect(caughtUp).toBe(100);
    processor = await start(dataDir, (journaled) => recorder.append(journaled));
    const invalid = { ...events[0], eventId: 'bad-1', post: 'nowhere' };
    const second = await produce([...events.slice(100), events[5], invalid][Symbol.iterator](), { url: `${processor.url}/ingest`, batch: 7 });
    await processor.close();
    recorder.close();
    expect(second).toMatchObject({ accepted: 200, duplicates: 1, rejected: 1 });

    const journal = readJournal(path.join(dataDir, JOURNAL_FILE));
    const recorded = [...readRecording(recordDir)];
    expect(recorded.map((r) => r.n)).toEqual(journal.map((r) => r.n));
    expect(recorded.map((r) => JSON.stringify(r.event))).toEqual(journal.map((r) => JSON.stringify(r.event)));
    expect(recorded.length).toBe(300);

    // A restart with nothing new records nothing twice.
    const again = openLiveRecording(recordDir, dataDir, { flushMs: 0 });
    expect(again.caughtUp).toBe(0);
    again.recorder.close();
    expect([...readRecording(recordDir)].length).toBe(300);
  });
});
