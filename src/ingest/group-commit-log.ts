import fs from 'node:fs';
import { JournalError, toError } from '../errors.ts';
import { describeWriteFailure } from './write-failure.ts';

/** Called once the records appended before the call are on disk, or failed to get there. */
export type DurableCallback = (error: Error | null) => void;

export interface GroupCommitLogOptions {
  /**
   * fdatasync after each batch. Turning it off trades durability for speed and is only
   * for benchmarks that want to see the rest of the pipeline.
   * @default true
   */
  fsync?: boolean;
  /**
   * Told how each batch ended: null once it is durable, the error when it failed. Lets
   * the processor say when writing stalls (a full disk) and when it works again.
   */
  onOutcome?: (error: JournalError | null) => void;
}

/**
 * An append-only file of text records with group commit: records appended while a
 * write+fdatasync is in flight are written together by the next one, so an
 * acknowledgement waits for at most two syncs however many producers are sending,
 * and no promise is made per record.
 */
export class GroupCommitLog {
  readonly path: string;
  private readonly fd: number;
  private readonly fsync: boolean;
  private readonly onOutcome: ((error: JournalError | null) => void) | undefined;
  private pending: string[] = [];
  private pendingWaiters: DurableCallback[] = [];
  private inFlightWaiters: DurableCallback[] = [];
  private flushing = false;
  private scheduled = false;
  private closed = false;
  /** Bytes known to be on disk; a failed batch is cut back to this length. */
  private durableBytes: number;
  /** A failed batch could not be cut back yet: the file may end in part of a record. */
  private ragged = false;

  constructor(path: string, options: GroupCommitLogOptions = {}) {
    const { fsync = true, onOutcome } = options;
    this.path = path;
    this.fsync = fsync;
    this.onOutcome = onOutcome;
    try {
      this.fd = fs.openSync(path, 'a');
      this.durableBytes = fs.fstatSync(this.fd).size;
    } catch (thrown) {
      throw new JournalError(`cannot open ${path}: ${toError(thrown).message}`, { cause: thrown });
    }
  }

  get bytes(): number {
    return this.durableBytes;
  }

  /** Queues a record (which must end with a newline) for the next batch. */
  append(record: string): void {
    if (this.closed) throw new JournalError(`${this.path} is closed`);
    this.pending.push(record);
    this.schedule();
  }

  /** Calls back once everything appended so far is durable (at once if nothing is waiting). */
  whenDurable(callback: DurableCallback): void {
    if (this.pending.length > 0) this.pendingWaiters.push(callback);
    else if (this.flushing) this.inFlightWaiters.push(callback);
    else callback(null);
  }

  /** Flushes what is queued (including what is appended while flushing), then closes the file. */
  close(): Promise<void> {
    return new Promise((resolve, reject) => {
      const attempt = (): void =>
        this.whenDurable(() => {
          // Records appended while the last batch was in flight get their own batch first.
          if (this.pending.length > 0 || this.flushing) return attempt();
          this.closed = true;
          fs.close(this.fd, (error) => (error ? reject(toError(error)) : resolve()));
        });
      attempt();
    });
  }

  private schedule(): void {
    if (this.flushing || this.scheduled) return;
    this.scheduled = true;
    // setImmediate lets every frame already read in this turn of the event loop join the batch.
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    if (this.flushing || this.pending.length === 0 || this.closed) return;
    this.flushing = true;
    const buffer = Buffer.from(this.pending.join(''), 'utf8');
    this.pending = [];
    this.inFlightWaiters.push(...this.pendingWaiters);
    this.pendingWaiters = [];
    // Nothing is appended after a partial record: the file is cut back first, or the batch fails.
    if (this.ragged) {
      fs.ftruncate(this.fd, this.durableBytes, (truncateError) => {
        if (truncateError) return this.finish(truncateError, buffer.length);
        this.ragged = false;
        this.write(buffer);
      });
      return;
    }
    this.write(buffer);
  }

  private write(buffer: Buffer): void {
    this.writeAll(buffer, 0, (writeError) => {
      if (writeError) return this.finish(writeError, buffer.length);
      if (!this.fsync) return this.finish(null, buffer.length);
      fs.fdatasync(this.fd, (syncError) => this.finish(syncError, buffer.length));
    });
  }

  /** fs.write may write less than asked (a filling disk): keep going until all is out or it fails. */
  private writeAll(buffer: Buffer, offset: number, done: (error: NodeJS.ErrnoException | null) => void): void {
    fs.write(this.fd, buffer, offset, buffer.length - offset, null, (error, written) => {
      if (error) return done(error);
      if (written === 0) return done(Object.assign(new Error('no progress writing'), { code: 'ENOSPC' }));
      if (offset + written < buffer.length) return this.writeAll(buffer, offset + written, done);
      done(null);
    });
  }

  private finish(error: NodeJS.ErrnoException | null, length: number): void {
    const done = (): void => {
      // Waiters that joined while a failed batch was being cut back are answered with it.
      const waiters = this.inFlightWaiters;
      this.inFlightWaiters = [];
      this.flushing = false;
      const failure = error ? new JournalError(describeWriteFailure(this.path, error), { cause: error }) : null;
      this.onOutcome?.(failure);
      for (const waiter of waiters) waiter(failure);
      if (this.pending.length > 0) this.flush();
    };
    if (!error) {
      this.durableBytes += length;
      return done();
    }
    // Cut a half-written batch back so the file stays a sequence of whole records; if even
    // that fails, the next batch tries again before it writes anything.
    this.ragged = true;
    fs.ftruncate(this.fd, this.durableBytes, (truncateError) => {
      if (!truncateError) this.ragged = false;
      done();
    });
  }
}
