import fs from 'node:fs';
import path from 'node:path';
import type { EventIssue } from '../model/event.ts';
import { type DurableCallback, GroupCommitLog, type GroupCommitLogOptions } from './group-commit-log.ts';
import { forEachLineSync } from './read-lines.ts';
import { type TrimmedLog, trimLog } from '../retention/trim-log.ts';

/** One rejected event or unparseable piece of a frame, kept for inspection. */
export interface DeadLetter {
  at: string;
  connection: string;
  frame: number;
  /** Position of the event in its frame (array index or NDJSON line among non-blank lines). */
  index: number;
  eventId?: string;
  issues: EventIssue[];
  /** The parsed value as sent, or the raw text where it was not JSON. */
  payload: unknown;
}

export const DEAD_LETTER_FILE = 'dead-letters.ndjson';
/** A dead letter's `at`, read from the line's start, where it is always written. */
const AT = /^\{"at":"([^"]+)"/;

/** `dir/dead-letters.ndjson`: group-committed like the journal, so a rejection is answered only once kept. */
export class DeadLetters {
  private readonly log: GroupCommitLog;
  private readonly fsync: boolean;
  private count = 0;

  constructor(dir: string, options: GroupCommitLogOptions = {}) {
    fs.mkdirSync(dir, { recursive: true });
    this.fsync = options.fsync ?? true;
    this.log = new GroupCommitLog(path.join(dir, DEAD_LETTER_FILE), options);
  }

  /** Dead letters written by this process. */
  get written(): number {
    return this.count;
  }

  append(letter: DeadLetter): void {
    this.count += 1;
    this.log.append(`${JSON.stringify(letter)}\n`);
  }

  /** Deletes the dead letters kept before `before` (RFC 3339, UTC), as the journal deletes old records. */
  deleteBefore(before: string): Promise<TrimmedLog> {
    return trimLog(this.log, (line) => (AT.exec(line)?.[1] ?? (JSON.parse(line) as DeadLetter).at) >= before, { fsync: this.fsync });
  }

  whenDurable(callback: DurableCallback): void {
    this.log.whenDurable(callback);
  }

  close(): Promise<void> {
    return this.log.close();
  }
}

export function readDeadLetters(dir: string): DeadLetter[] {
  const letters: DeadLetter[] = [];
  forEachLineSync(path.join(dir, DEAD_LETTER_FILE), (line) => letters.push(JSON.parse(line) as DeadLetter));
  return letters;
}
