import { JOURNAL_FILE, type JournalRecord } from '../journal/journal.ts';
import type { JournaledEvent } from '../journal/record-events.ts';
import { linesSync } from '../kernel/read-lines.ts';
import { Recorder, type RecorderOptions } from './recorder.ts';
import path from 'node:path';

const RECORD_NUMBER = /^\{"n":(\d+),/;

/**
 * The journal's records after `after`, in order. Records at or before it are skipped on
 * their `{"n":N,` prefix without parsing them, so catching up after a long run costs a
 * scan of the file, not a parse of every event in it.
 */
export function* journalRecordsAfter(journalFile: string, after: number): Generator<JournaledEvent> {
  for (const line of linesSync(journalFile)) {
    const prefix = RECORD_NUMBER.exec(line);
    if (prefix && Number(prefix[1]) <= after) continue;
    const record = JSON.parse(line) as JournalRecord;
    if (record.n > after) yield { n: record.n, event: record.event };
  }
}

/**
 * Opens a recorder for a processor's data directory and brings it up to date with the
 * journal, before the processor accepts anything: afterwards every event the processor
 * journals reaches it through `onJournaled`, so the recording misses nothing acknowledged.
 * Full batches are written on the next turn of the event loop (`deferWrites`), after the
 * producer's acknowledgement has gone out.
 */
export function openLiveRecording(recordDir: string, dataDir: string, options: RecorderOptions = {}): { recorder: Recorder; caughtUp: number } {
  const recorder = Recorder.open(recordDir, { deferWrites: true, ...options });
  const caughtUp = recorder.catchUp(journalRecordsAfter(path.join(dataDir, JOURNAL_FILE), recorder.lastRecorded));
  return { recorder, caughtUp };
}
