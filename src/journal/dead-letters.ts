import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { boundIssues } from '../validate/bound-issues.ts';
import type { DeadLetter, DeadLetterSink, RejectedPayload } from './dead-letter-sink.ts';
import { type DurableCallback, GroupCommitLog, type GroupCommitLogOptions } from './group-commit-log.ts';
import { forEachLineSync } from '../kernel/read-lines.ts';
import { type TrimmedLog, trimLog } from './trim-log.ts';
import { DeadLetterBudget, type DeadLetterBudgetStatus, type DeadLetterLimits } from './dead-letter-budget.ts';

export interface DeadLetterOptions extends GroupCommitLogOptions {
  /** Bounds on what is kept (see DeadLetterLimits for the defaults). */
  limits?: DeadLetterLimits;
  /** Told when a producer goes over its bound. @default nothing */
  log?: (line: string) => void;
}

/** What `GET /health` shows of the dead letters. */
export interface DeadLetterStatus extends DeadLetterBudgetStatus {
  /** Dead letters written by this process. */
  kept: number;
  /** Bytes of the dead-letter file (approximately, while a batch is being written). */
  fileBytes: number;
}

export const DEAD_LETTER_FILE = 'dead-letters.ndjson';
/** A dead letter's `at`, read from the line's start, where it is always written. */
const AT = /^\{"at":"([^"]+)"/;

/**
 * `dir/dead-letters.ndjson`: group-committed like the journal, so a rejection is answered
 * only once kept. What is kept is bounded: a letter holds at most an excerpt of its
 * payload with the whole's hash and size, and at most `MAX_KEPT_ISSUES` issues; the bytes
 * written are bounded per producer and overall (size and rate, `DeadLetterBudget`), so
 * that a flood of malformed frames cannot fill the disk.
 */
export class DeadLetters implements DeadLetterSink {
  private readonly log: GroupCommitLog;
  private readonly fsync: boolean;
  private readonly budget: DeadLetterBudget;
  private count = 0;
  /** The file's size as written so far (durable or queued). */
  private fileBytes: number;

  constructor(dir: string, options: DeadLetterOptions = {}) {
    fs.mkdirSync(dir, { recursive: true });
    const { limits, log, ...logOptions } = options;
    this.fsync = options.fsync ?? true;
    this.budget = new DeadLetterBudget(limits, log);
    this.log = new GroupCommitLog(path.join(dir, DEAD_LETTER_FILE), logOptions);
    this.fileBytes = this.log.bytes;
  }

  /** Dead letters written by this process. */
  get written(): number {
    return this.count;
  }

  /**
   * Keeps a rejected event or frame, cut to its bounds. `producer` (a token id, or a
   * connection without one) is charged for it; undefined: only the overall bounds apply.
   * Returns why it was not kept when a bound was reached, else undefined.
   */
  append(letter: RejectedPayload, producer?: string): string | undefined {
    const line = `${JSON.stringify(compactLetter(letter, this.budget.limits.excerptChars))}\n`;
    const size = Buffer.byteLength(line);
    const refusal = this.budget.take(size, this.fileBytes, producer);
    if (refusal !== undefined) return refusal;
    this.count += 1;
    this.fileBytes += size;
    this.log.append(line);
    return undefined;
  }

  status(): DeadLetterStatus {
    return { kept: this.count, fileBytes: this.fileBytes, ...this.budget.status() };
  }

  /** Deletes the dead letters kept before `before` (RFC 3339, UTC), as the journal deletes old records. */
  async deleteBefore(before: string): Promise<TrimmedLog> {
    const trimmed = await trimLog(this.log, (line) => (AT.exec(line)?.[1] ?? (JSON.parse(line) as DeadLetter).at) >= before, { fsync: this.fsync });
    // The file was written anew: its size bound counts from what is left.
    if (trimmed.rewritten) this.fileBytes = this.log.bytes;
    return trimmed;
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

/**
 * A letter as it is written: its issues bounded, and its payload whole only when its JSON
 * fits the excerpt bound; otherwise the start of it, with the whole's SHA-256 and size.
 */
function compactLetter(letter: RejectedPayload, excerptChars: number): DeadLetter {
  const { payload, ...rest } = letter;
  const text = typeof payload === 'string' ? payload : (JSON.stringify(payload) ?? 'null');
  const bytes = Buffer.byteLength(text);
  const sha256 = crypto.createHash('sha256').update(text).digest('hex');
  const issues = boundIssues(letter.issues);
  if (text.length <= excerptChars) return { ...rest, issues, payload, sha256, bytes };
  return { ...rest, issues, excerpt: text.slice(0, excerptChars), sha256, bytes };
}
