import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** How often the thread copies the log into the database. */
const INTERVAL_MS = 50;
/** How soon after a turn that copied many pages the next one comes (leaving the writer room for its own checkpoint). */
const BUSY_INTERVAL_MS = 5;
/** Pages copied in one turn beyond which the next turn comes sooner. */
const BUSY_PAGES = 500;
/** How long the thread waits before trying again after a checkpoint failed (a full disk, say). */
const RETRY_MS = 1_000;
/** How long `stop` waits for the thread to close its connection. */
const STOP_WAIT_MS = 10_000;

const RUN = 0;
const STOP = 1;
const CLOSED = 2;

// The thread's whole program: plain CommonJS, so that it needs no loader for TypeScript, given
// better-sqlite3's path as this module resolves it (an eval'd thread resolves from the working
// directory, which for an installed command is anywhere). It sleeps on the shared word (woken
// at once by `stop`) and checkpoints; a checkpoint that fails is tried again after a pause,
// its failure and its recovery told once each; and it always marks itself closed, whatever
// failed, so that `stop` never waits out its limit for a thread that has ended.
const PROGRAM = `
const { parentPort, workerData } = require('node:worker_threads');
const state = new Int32Array(workerData.state);
// better-sqlite3's own error class reaches the other thread as its code alone: the message is passed on.
const describe = (error) => (error instanceof Error ? error.message + (error.code ? ' (' + error.code + ')' : '') : String(error));
let db;
try {
  const Database = require(workerData.driver);
  db = new Database(workerData.file, { fileMustExist: true });
  let copied = 0;
  let failing = false;
  let wait = ${INTERVAL_MS};
  while (Atomics.wait(state, 0, ${RUN}, wait) !== 'not-equal' && Atomics.load(state, 0) === ${RUN}) {
    let result;
    try {
      // PASSIVE never waits for the writer or a reader: what it cannot copy now, it copies next time.
      [result] = db.pragma('wal_checkpoint(PASSIVE)');
    } catch (error) {
      if (!failing) parentPort.postMessage({ failing: describe(error) });
      failing = true;
      wait = ${RETRY_MS};
      continue;
    }
    if (failing) parentPort.postMessage({ failing: null });
    failing = false;
    // A log that grew by many pages since the last turn is copied again soon: the writer
    // stores faster than the pause lets this thread keep up with.
    const now = result && result.checkpointed > 0 ? result.checkpointed : 0;
    wait = now < copied || now - copied < ${BUSY_PAGES} ? ${INTERVAL_MS} : ${BUSY_INTERVAL_MS};
    copied = now;
  }
} catch (error) {
  throw new Error(describe(error));
} finally {
  try { db?.close(); } finally { Atomics.store(state, 0, ${CLOSED}); Atomics.notify(state, 0); }
}
`;

/**
 * Copies an SQLite database's write-ahead log into the database file from a thread of its own,
 * with a connection of its own, every 50 ms (sooner after a turn that copied many pages): at
 * the rates alerts come, the log is then copied before the writer's own automatic checkpoint
 * (SQLite's default, every 1,000 pages) comes due, and the writer starts the log again from its
 * beginning instead of copying it and waiting for two fsyncs while ingest waits. A writer
 * storing faster than this thread copies still reaches its own checkpoint, which bounds the
 * log (a checkpoint made while the writer appends never reaches the end of the log, and only
 * one that does lets the log start again); the writer's checkpoint is passed over while this
 * thread holds the checkpoint, so the log may grow to about twice the 1,000 pages.
 */
export class BackgroundCheckpoints {
  private readonly state = new Int32Array(new SharedArrayBuffer(4));
  private readonly worker: Worker;
  private failure: Error | undefined;

  /**
   * @param onError told if the thread ends (its database would not open); the writer's own checkpoints go on.
   * @param onFailing told when checkpoints start failing (why) and when they succeed again (null); the thread tries again every second meanwhile.
   */
  constructor(file: string, onError: (error: Error) => void, onFailing: (reason: string | null) => void = () => undefined) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    // No flags of this process (a loader, `--input-type=module`): the program is plain CommonJS.
    this.worker = new Worker(PROGRAM, { eval: true, execArgv: [], workerData: { file, driver, state: this.state.buffer } });
    this.worker.on('message', (m: { failing: string | null }) => onFailing(m.failing));
    this.worker.once('error', (error) => {
      this.failure = error;
      onError(error);
    });
    // After the listeners, which hold the process open again: a store never closed must not keep it running.
    this.worker.unref();
  }

  /** The thread's error, once it has ended with one. */
  get failed(): Error | undefined {
    return this.failure;
  }

  /**
   * Stops the thread and waits (blocking, at most 10 s) until its connection is closed, so that
   * the writer's close is the last one, which checkpoints the whole log and removes it.
   */
  stop(): void {
    if (Atomics.compareExchange(this.state, 0, RUN, STOP) === RUN) Atomics.notify(this.state, 0);
    if (this.failure) return;
    const deadline = Date.now() + STOP_WAIT_MS;
    while (Atomics.load(this.state, 0) !== CLOSED && Date.now() < deadline) Atomics.wait(this.state, 0, STOP, deadline - Date.now());
  }
}
