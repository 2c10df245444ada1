import fs from 'node:fs';
import path from 'node:path';
import { JournalError, toError } from '../errors.ts';
import type { BorderEvent } from '../model/event.ts';
import { type DurableCallback, GroupCommitLog, type GroupCommitLogOptions } from './group-commit-log.ts';
import { forEachLineSync, linesSync } from './read-lines.ts';

/** One line of the event journal. */
export interface JournalRecord {
  /**
   * Increasing 1-based record number: the order the pipeline processed events in. A
   * batch that failed to reach the disk leaves a gap, never a reused number.
   */
  n: number;
  /** When the processor received the event (wall clock, RFC 3339). */
  receivedAt: string;
  event: BorderEvent;
}

export interface JournalOptions {
  /** @default true */
  fsync?: boolean;
  /** Told how each group-committed batch ended (see GroupCommitLogOptions). */
  onOutcome?: GroupCommitLogOptions['onOutcome'];
  /**
   * How many event ids are remembered for de-duplication. Ids older than this are
   * forgotten first-in first-out; about 100 bytes each.
   * @default 2_000_000
   */
  maxRememberedIds?: number;
}

export const JOURNAL_FILE = 'journal.ndjson';

/**
 * The durable record of every accepted event, in processing order. An event is
 * acknowledged only once its line is on disk; the id index makes a resent event
 * an acknowledged duplicate rather than a second processing, across restarts too.
 */
export class Journal {
  readonly path: string;
  private readonly log: GroupCommitLog;
  private readonly ids = new Set<string>();
  private readonly maxIds: number;
  private lastN: number;

  private constructor(file: string, log: GroupCommitLog, ids: Iterable<string>, count: number, maxIds: number) {
    this.path = file;
    this.log = log;
    this.maxIds = maxIds;
    for (const id of ids) this.remember(id);
    this.lastN = count;
  }

  /** Opens (or creates) `dir/journal.ndjson`, cutting off a record a crash left half-written. */
  static open(dir: string, options: JournalOptions = {}): Journal {
    const { fsync = true, maxRememberedIds = 2_000_000, onOutcome } = options;
    const file = path.join(dir, JOURNAL_FILE);
    const ids: string[] = [];
    let count = 0;
    try {
      fs.mkdirSync(dir, { recursive: true });
      const complete = forEachLineSync(file, (line) => {
        const record = JSON.parse(line) as JournalRecord;
        ids.push(record.event.eventId);
        count = record.n;
      });
      if (fs.existsSync(file) && fs.statSync(file).size > complete) fs.truncateSync(file, complete);
    } catch (thrown) {
      throw new JournalError(`cannot read journal ${file}: ${toError(thrown).message}`, { cause: thrown });
    }
    return new Journal(file, new GroupCommitLog(file, { fsync, ...(onOutcome && { onOutcome }) }), ids, count, maxRememberedIds);
  }

  /** Record number of the newest record, durable or not. */
  get lastRecord(): number {
    return this.lastN;
  }

  has(eventId: string): boolean {
    return this.ids.has(eventId);
  }

  /** Appends an event; it is durable once a later `whenDurable` callback fires without error. */
  append(event: BorderEvent, receivedAt: string): number {
    this.lastN += 1;
    const record: JournalRecord = { n: this.lastN, receivedAt, event };
    this.log.append(`${JSON.stringify(record)}\n`);
    this.remember(event.eventId);
    return this.lastN;
  }

  whenDurable(callback: DurableCallback): void {
    this.log.whenDurable(callback);
  }

  /** Forgets events whose batch failed to reach the disk, so that a resend is accepted. */
  forget(eventIds: readonly string[]): void {
    for (const id of eventIds) this.ids.delete(id);
  }

  close(): Promise<void> {
    return this.log.close();
  }

  private remember(id: string): void {
    this.ids.add(id);
    if (this.ids.size > this.maxIds) {
      const oldest = this.ids.values().next();
      if (!oldest.done) this.ids.delete(oldest.value);
    }
  }
}

/** Reads every record of a journal file in order. */
export function readJournal(file: string): JournalRecord[] {
  return [...journalRecords(file)];
}

/** The records of a journal file in order, read lazily (a long journal is never in memory whole). */
export function* journalRecords(file: string): Generator<JournalRecord> {
  for (const line of linesSync(file)) yield JSON.parse(line) as JournalRecord;
}
