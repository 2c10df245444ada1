import fs from 'node:fs';
import path from 'node:path';
import { JournalError, toError } from '../errors.ts';
import type { BorderEvent } from '../model/event.ts';
import type { EventLog } from './event-log.ts';
import { type DurableCallback, GroupCommitLog, type GroupCommitLogOptions } from './group-commit-log.ts';
import { forEachLineSync, linesSync } from '../kernel/read-lines.ts';
import { type TrimmedLog, trimLog } from './trim-log.ts';

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
   * How many event ids are remembered for de-duplication, each with the post that owns
   * it. Ids older than this are forgotten first-in first-out; about 100 bytes each.
   * @default 2_000_000
   */
  maxRememberedIds?: number;
}

export const JOURNAL_FILE = 'journal.ndjson';
/**
 * Written by retention before it replaces the journal: the newest record number given out
 * (so that numbering continues after a journal emptied by retention) and the newest record
 * it deleted (so that recovery can tell a snapshot whose record retention deleted).
 */
export const JOURNAL_RETENTION_FILE = 'journal-retention.json';

interface RetentionNote {
  lastRecord: number;
  deletedUpTo: number;
  /** Records received before this (RFC 3339) were deleted. */
  before: string;
}

/** What deleting old records did. */
export interface DeletedRecords extends TrimmedLog {
  /** The newest record number retention has deleted so far (0: none). */
  deletedUpTo: number;
}

const RECEIVED_AT = /^\{"n":\d+,"receivedAt":"([^"]+)"/;

/**
 * The durable record of every accepted event, in processing order. An event is
 * acknowledged only once its line is on disk; the id index makes a resent event
 * an acknowledged duplicate rather than a second processing, across restarts too.
 * The index keeps which post each id belongs to (the post of the first event journaled
 * under it), so that an event of another post under the same id can be refused rather
 * than taken for a resend (docs/protocol.md, event ids).
 */
export class Journal implements EventLog {
  readonly path: string;
  private readonly log: GroupCommitLog;
  /** Event id → the post that owns it. */
  private readonly ids = new Map<string, string>();
  /** One string per post, so that two million ids do not hold two million copies of a dozen posts. */
  private readonly posts = new Map<string, string>();
  private readonly maxIds: number;
  private lastN: number;
  private readonly fsync: boolean;
  private deleted: number;

  private constructor(file: string, log: GroupCommitLog, ids: Iterable<[id: string, post: string]>, count: number, maxIds: number, fsync: boolean, note: RetentionNote | undefined) {
    this.path = file;
    this.log = log;
    this.fsync = fsync;
    this.deleted = note?.deletedUpTo ?? 0;
    this.maxIds = maxIds;
    for (const [id, post] of ids) this.remember(id, post);
    // A journal that retention emptied still continues the numbering.
    this.lastN = Math.max(count, note?.lastRecord ?? 0);
  }

  /** Opens (or creates) `dir/journal.ndjson`, cutting off a record a crash left half-written. */
  static open(dir: string, options: JournalOptions = {}): Journal {
    const { fsync = true, maxRememberedIds = 2_000_000, onOutcome } = options;
    const file = path.join(dir, JOURNAL_FILE);
    const ids: [string, string][] = [];
    let count = 0;
    let note: RetentionNote | undefined;
    try {
      fs.mkdirSync(dir, { recursive: true });
      const complete = forEachLineSync(file, (line) => {
        const record = JSON.parse(line) as JournalRecord;
        ids.push([record.event.eventId, record.event.post]);
        count = record.n;
      });
      if (fs.existsSync(file) && fs.statSync(file).size > complete) fs.truncateSync(file, complete);
      note = readRetentionNote(dir);
    } catch (thrown) {
      throw new JournalError(`cannot read journal ${file}: ${toError(thrown).message}`, { cause: thrown });
    }
    return new Journal(file, new GroupCommitLog(file, { fsync, ...(onOutcome && { onOutcome }) }), ids, count, maxRememberedIds, fsync, note);
  }

  /** Record number of the newest record, durable or not. */
  get lastRecord(): number {
    return this.lastN;
  }

  /** The newest record number retention has deleted (0: none); records up to it may be missing. */
  get deletedUpTo(): number {
    return this.deleted;
  }

  /**
   * Deletes the records received before `before` (RFC 3339, UTC) by writing the journal
   * anew without them (see trimLog: appends go on meanwhile and none is lost); the other
   * records keep their numbers. Their event ids are forgotten, so such an event sent again
   * is accepted as new, as it would be after a restart.
   */
  async deleteReceivedBefore(before: string): Promise<DeletedRecords> {
    const removedIds: string[] = [];
    let upTo = this.deleted;
    const trimmed = await trimLog(this.log, (line) => receivedAtOf(line) >= before, {
      fsync: this.fsync,
      onRemoved: (line) => {
        const record = JSON.parse(line) as JournalRecord;
        removedIds.push(record.event.eventId);
        if (record.n > upTo) upTo = record.n;
      },
      beforeRename: () => writeRetentionNote(path.dirname(this.path), { lastRecord: this.lastN, deletedUpTo: upTo, before }, this.fsync),
    });
    if (trimmed.rewritten) {
      this.deleted = upTo;
      this.forget(removedIds);
    }
    return { ...trimmed, deletedUpTo: this.deleted };
  }

  has(eventId: string): boolean {
    return this.ids.has(eventId);
  }

  /** The post that owns `eventId` (the post of the event journaled under it), if it is known. */
  owner(eventId: string): string | undefined {
    return this.ids.get(eventId);
  }

  /**
   * Appends an event; it is durable once a later `whenDurable` callback fires without error.
   * The line is what `JSON.stringify` of the record would be, except that the event's own
   * text, when given (the event as received, see `EventLog.append`), stands in for its
   * serialisation: serialising every event again was the journal's largest cost.
   */
  append(event: BorderEvent, receivedAt: string, text?: string): number {
    this.lastN += 1;
    this.log.append(`{"n":${this.lastN},"receivedAt":${JSON.stringify(receivedAt)},"event":${text ?? JSON.stringify(event)}}\n`);
    this.remember(event.eventId, event.post);
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

  private remember(id: string, post: string): void {
    let shared = this.posts.get(post);
    if (shared === undefined) this.posts.set(post, (shared = post));
    this.ids.set(id, shared);
    if (this.ids.size > this.maxIds) {
      const oldest = this.ids.keys().next();
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

/** When a journal line's event was received: read from the line's start, which the journal always writes first. */
function receivedAtOf(line: string): string {
  return RECEIVED_AT.exec(line)?.[1] ?? (JSON.parse(line) as JournalRecord).receivedAt;
}

function readRetentionNote(dir: string): RetentionNote | undefined {
  const file = path.join(dir, JOURNAL_RETENTION_FILE);
  if (!fs.existsSync(file)) return undefined;
  const note = JSON.parse(fs.readFileSync(file, 'utf8')) as RetentionNote;
  if (!Number.isInteger(note.lastRecord) || !Number.isInteger(note.deletedUpTo)) throw new JournalError(`${file} is not a retention note (lastRecord and deletedUpTo must be whole numbers)`);
  return note;
}

/** Written atomically, like the journal it describes. */
function writeRetentionNote(dir: string, note: RetentionNote, fsync: boolean): void {
  const file = path.join(dir, JOURNAL_RETENTION_FILE);
  const temporary = `${file}.tmp`;
  const fd = fs.openSync(temporary, 'w');
  try {
    fs.writeSync(fd, `${JSON.stringify(note)}\n`);
    if (fsync) fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temporary, file);
}
