import fs from 'node:fs';
import { dirname } from 'node:path';
import { JournalError, toError } from '../errors.ts';
import { syncDirectorySync } from '../kernel/sync-directory.ts';
import { describeWriteFailure } from '../kernel/write-failure.ts';

/** O_DSYNC where a write with it is as durable as write + fdatasync: Linux. */
const O_DSYNC = process.platform === 'linux' ? fs.constants.O_DSYNC : undefined;

/** Called once the records appended before the call are on disk, or failed to get there. */
export type DurableCallback = (error: Error | null) => void;

export interface GroupCommitLogOptions {
  /**
   * Each batch durable before it is acknowledged (O_DSYNC on Linux, fdatasync elsewhere).
   * Turning it off trades durability for speed and is only for benchmarks that want to
   * see the rest of the pipeline.
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
 * synced write is in flight are written together by the next one, so an
 * acknowledgement waits for at most two syncs however many producers are sending,
 * and no promise is made per record.
 */
export class GroupCommitLog {
  readonly path: string;
  private fd: number;
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
  /** While the file is being replaced: batches wait (appends queue) until it is done. */
  private replacing: Promise<void> | undefined;
  private idleWaiters: (() => void)[] = [];
  /** A replacement was renamed into place but could not be opened yet. */
  private stale = false;

  constructor(path: string, options: GroupCommitLogOptions = {}) {
    const { fsync = true, onOutcome } = options;
    this.path = path;
    this.fsync = fsync;
    this.onOutcome = onOutcome;
    try {
      const created = !fs.existsSync(path);
      this.fd = fs.openSync(path, this.openFlags);
      this.durableBytes = fs.fstatSync(this.fd).size;
      // A new file's name is in its directory, which a power cut could lose with every record acknowledged in it.
      if (created && fsync) syncDirectorySync(dirname(path));
    } catch (thrown) {
      throw new JournalError(`cannot open ${path}: ${toError(thrown).message}`, { cause: thrown });
    }
  }

  /**
   * Append, and with fsync on, on Linux, O_DSYNC: each write returns once its data is on
   * disk, as write + fdatasync would, in one call to the thread pool instead of two (a hop
   * costs tens of microseconds, paid once per batch, so per frame when frames come one at
   * a time). Elsewhere write + fdatasync: on macOS Node's fdatasync also flushes the
   * drive's cache (F_FULLFSYNC), which an O_DSYNC write does not.
   */
  private get openFlags(): string | number {
    const { O_APPEND, O_CREAT, O_WRONLY } = fs.constants;
    return this.syncedWrites ? O_APPEND | O_CREAT | O_WRONLY | O_DSYNC! : 'a';
  }

  /** Whether writes are durable on their own (the file is open with O_DSYNC). */
  private get syncedWrites(): boolean {
    return this.fsync && O_DSYNC !== undefined;
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
  async close(): Promise<void> {
    await this.replacing;
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

  /**
   * Replaces the file between two batches: once the batch in flight (if any) has ended,
   * no batch is written until `swap` is done; appends meanwhile queue in memory and are
   * written to the new file after, so none is lost or written twice. `swap` is given the
   * byte length of the whole records on disk (everything before it is stable while it
   * runs) and must put the new file in place at `path` (an atomic rename); whether or not
   * it succeeds, the log then appends to whatever file `path` names.
   */
  replace<T>(swap: (durableBytes: number) => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new JournalError(`${this.path} is closed`));
    if (this.replacing) return Promise.reject(new JournalError(`${this.path} is already being replaced`));
    let release!: () => void;
    this.replacing = new Promise<void>((resolve) => (release = resolve));
    const idle = new Promise<void>((resolve) => {
      if (!this.flushing) resolve();
      else this.idleWaiters.push(resolve);
    });
    return (async () => {
      try {
        await idle;
        return await swap(this.durableBytes);
      } finally {
        this.reopenIfReplaced();
        this.replacing = undefined;
        release();
        if (this.pending.length > 0) this.flush();
      }
    })();
  }

  /**
   * Appends go to the file now at `path` if `swap` renamed a new one over the old. If it
   * cannot be opened, batches fail (and are retried by their producers) until it can:
   * appending to the old, unlinked file would lose acknowledged records.
   */
  private reopenIfReplaced(): NodeJS.ErrnoException | null {
    try {
      const current = fs.statSync(this.path);
      const open = fs.fstatSync(this.fd);
      if (current.ino === open.ino && current.dev === open.dev) {
        this.stale = false;
        return null;
      }
      const fd = fs.openSync(this.path, this.openFlags);
      fs.closeSync(this.fd);
      this.fd = fd;
      this.durableBytes = fs.fstatSync(fd).size;
      this.ragged = false;
      this.stale = false;
      return null;
    } catch (thrown) {
      this.stale = true;
      return thrown as NodeJS.ErrnoException;
    }
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
    if (this.flushing || this.pending.length === 0 || this.closed || this.replacing) return;
    this.flushing = true;
    const buffer = Buffer.from(this.pending.join(''), 'utf8');
    this.pending = [];
    this.inFlightWaiters.push(...this.pendingWaiters);
    this.pendingWaiters = [];
    if (this.stale) {
      const reopenError = this.reopenIfReplaced();
      if (reopenError) {
        this.finish(reopenError, buffer.length, false);
        return;
      }
    }
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
      if (!this.fsync || this.syncedWrites) return this.finish(null, buffer.length);
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

  private finish(error: NodeJS.ErrnoException | null, length: number, wrote = true): void {
    const done = (): void => {
      // Waiters that joined while a failed batch was being cut back are answered with it.
      const waiters = this.inFlightWaiters;
      this.inFlightWaiters = [];
      this.flushing = false;
      const failure = error ? new JournalError(describeWriteFailure(this.path, error), { cause: error }) : null;
      this.onOutcome?.(failure);
      for (const waiter of waiters) waiter(failure);
      for (const idle of this.idleWaiters.splice(0)) idle();
      if (this.pending.length > 0) this.flush();
    };
    if (!error) {
      this.durableBytes += length;
      done();
      return;
    }
    if (!wrote) {
      done();
      return;
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
