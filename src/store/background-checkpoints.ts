import { Worker } from 'node:worker_threads';

/** How often the thread copies the log into the database. */
const INTERVAL_MS = 50;
/** How long `stop` waits for the thread to close its connection. */
const STOP_WAIT_MS = 10_000;
/** Pages copied in one turn beyond which the next turn comes at once. */
const BUSY_PAGES = 500;

const RUN = 0;
const STOP = 1;
const CLOSED = 2;

// The thread's whole program: plain CommonJS, so that it needs no loader for TypeScript. It
// sleeps on the shared word (woken at once by `stop`), checkpoints, and always marks itself
// closed, even when the database would not open, so that `stop` never waits out its limit
// for a thread that has failed.
const PROGRAM = `
const { workerData } = require('node:worker_threads');
const Database = require('better-sqlite3');
const state = new Int32Array(workerData.state);
let db;
try {
  db = new Database(workerData.file, { fileMustExist: true });
  let copied = 0;
  let wait = workerData.intervalMs;
  while (Atomics.wait(state, 0, ${RUN}, wait) !== 'not-equal' && Atomics.load(state, 0) === ${RUN}) {
    // PASSIVE never waits for the writer or a reader: what it cannot copy now, it copies next time.
    const [result] = db.pragma('wal_checkpoint(PASSIVE)');
    // A log that grew by many pages since the last turn is copied again at once: the writer
    // stores faster than the pause lets this thread keep up with.
    const now = result && result.checkpointed > 0 ? result.checkpointed : 0;
    wait = now < copied || now - copied < ${BUSY_PAGES} ? workerData.intervalMs : 0;
    copied = now;
  }
} catch (error) {
  // better-sqlite3's own error class reaches the other thread as its code alone: pass the message on.
  throw new Error(error instanceof Error ? error.message + (error.code ? ' (' + error.code + ')' : '') : String(error));
} finally {
  try { db?.close(); } finally { Atomics.store(state, 0, ${CLOSED}); Atomics.notify(state, 0); }
}
`;

/**
 * Copies an SQLite database's write-ahead log into the database file from a thread of its own,
 * with a connection of its own, every 50 ms (at once again after a turn that copied many
 * pages): at the rates alerts come, the log is then copied before the writer's own automatic
 * checkpoint (SQLite's default, every 1,000 pages) comes due, and the writer starts the log
 * again from its beginning instead of copying it and waiting for two fsyncs while ingest waits.
 * A writer storing faster than this thread copies still reaches its own checkpoint, which
 * bounds the log as without this thread (a checkpoint made while the writer appends never
 * reaches the end of the log, and only one that does lets the log start again).
 */
export class BackgroundCheckpoints {
  private readonly state = new Int32Array(new SharedArrayBuffer(4));
  private readonly worker: Worker;
  private failure: Error | undefined;

  /** @param onError told once if the thread fails (the writer's own checkpoints go on). */
  constructor(file: string, onError: (error: Error) => void) {
    this.worker = new Worker(PROGRAM, { eval: true, workerData: { file, state: this.state.buffer, intervalMs: INTERVAL_MS } });
    this.worker.unref();
    this.worker.once('error', (error) => {
      this.failure = error;
      onError(error);
    });
  }

  /** The thread's error, once it has failed. */
  get failed(): Error | undefined {
    return this.failure;
  }

  /**
   * Stops the thread and waits (blocking, at most 10 s) until its connection is closed, so that
   * the writer's close is the last one, which checkpoints the whole log and removes it.
   */
  stop(): void {
    if (Atomics.compareExchange(this.state, 0, RUN, STOP) === RUN) Atomics.notify(this.state, 0);
    const deadline = Date.now() + STOP_WAIT_MS;
    while (Atomics.load(this.state, 0) !== CLOSED && Date.now() < deadline) Atomics.wait(this.state, 0, STOP, deadline - Date.now());
  }
}
